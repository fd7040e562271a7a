// Who is signed in, and the bearer token that proves it. The token lives in this module's memory
// only (and in auth.js's, which renews it): never in web storage, a cookie, IndexedDB or a URL, where
// other scripts, later visitors of the same browser profile, the history and the service's access
// logs could read it. Reloading the page therefore signs out of the page, not of the provider.

let current = null;
let refused = () => {};

export const session = {
  /** Starts a session; the token is kept here and nowhere else. */
  start(token, role, subject) {
    current = Object.freeze({ token, role, subject });
  },

  /** A renewed token of the same session: requests and stream reconnections from now on send it. */
  renewed(token) {
    if (current) {
      current = Object.freeze({ ...current, token });
    }
  },

  end() {
    current = null;
  },

  /** What the page may know of the session (never the token), or null when signed out. */
  who() {
    return current ? { role: current.role, subject: current.subject } : null;
  },

  /** The Authorization header of the current session, or null when signed out. */
  authorization() {
    return current ? `Bearer ${current.token}` : null;
  },

  /** What to do when the service refuses the token (401): the page returns to sign-in. */
  onRefused(handler) {
    refused = handler;
  },

  /**
   * The service answered 401 to a request sent with this Authorization header. An answer that
   * arrives after the session it belonged to was left changes nothing.
   */
  refusedBy(authorization) {
    if (current && authorization === `Bearer ${current.token}`) {
      current = null;
      refused();
    }
  },
};
