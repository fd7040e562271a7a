// Signing in at the OIDC provider the service names (GET /ui/settings): authorization code with PKCE,
// by oidc-client-ts (js/vendor/README.md).
//
// What is kept where: the tokens (access, refresh, ID) live in this page's memory only, in the
// library's in-memory user store and in session.js. Only a sign-in's state (its id, the PKCE code
// verifier, the nonce) has to outlive the trip to the provider's page and back, so that alone goes
// to this tab's sessionStorage, and the library removes it when the page is back (or, abandoned,
// after 15 minutes); so does a sign-out's, when it carries a message for the page it returns to.
//
// Renewal: the refresh token, a quarter of the access token's life before it expires (at most a
// minute before), from this page's own timer. Not the hidden iframe with prompt=none: it needs the
// provider's session cookie in a third-party frame, which browsers increasingly withhold, and a
// frame-src opening in the page's Content-Security-Policy.
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from './vendor/oidc-client-ts.js';
import { jwtDecode } from './vendor/jwt-decode.js';

/** Where the provider sends the browser back, after sign-in and after sign-out: this page. */
const BACK_HERE = `${location.origin}/`;

/** The longest a renewal starts before the access token expires; shorter-lived tokens renew at three quarters of their life. */
const RENEW_AHEAD_S = 60;
/** A renewal that failed (the network, the provider briefly away) is tried again this soon, while the token lasts. */
const RETRY_RENEWAL_MS = 5000;

/** The roles of the service a token's groups may name, the strongest first: staff and admin see the staff views. */
const ROLES = [['admin', 'staff'], ['staff', 'staff'], ['customer', 'customer']];

/**
 * Asks the service where to sign in and prepares the library.
 *
 * @param {{renewed: (user) => void, ended: (error) => void}} on renewed: a renewal brought new
 *   tokens; ended: renewal is no longer possible (the provider ended the session, or the token ran out)
 */
export async function createAuth(on) {
  const response = await fetch('/ui/settings', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the service did not say where to sign in (HTTP ${response.status})`);
  }
  const { issuer, clientId } = await response.json();
  const manager = new UserManager({
    authority: issuer,
    client_id: clientId,
    redirect_uri: BACK_HERE,
    post_logout_redirect_uri: BACK_HERE,
    scope: 'openid profile email',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: sessionStorage, prefix: 'ordersvc.oidc.' }),
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
  });
  let timer = null;
  let idToken = null;

  const renewLater = (user) => {
    clearTimeout(timer);
    idToken = user.id_token ?? idToken;
    if (!user.refresh_token) {
      return; // nothing to renew with: the session ends when the access token does (a 401)
    }
    const left = user.expires_in ?? 0;
    timer = setTimeout(() => renew(user.expires_at), Math.max(0, left - Math.min(RENEW_AHEAD_S, left / 4)) * 1000);
  };

  async function renew(expiresAt) {
    try {
      const user = await manager.signinSilent();
      renewLater(user);
      on.renewed(user);
    } catch (error) {
      // the provider refused the refresh token (invalid_grant: its session ended): no use trying again
      const refused = Boolean(error?.error);
      if (!refused && Date.now() + RETRY_RENEWAL_MS < expiresAt * 1000) {
        timer = setTimeout(() => renew(expiresAt), RETRY_RENEWAL_MS);
      } else {
        on.ended(error);
      }
    }
  }

  return {
    /** To the provider's sign-in page. */
    signIn: () => manager.signinRedirect(),

    /**
     * Completes a return from the provider, if this page load is one, and takes the code and state
     * out of the address bar: {user} after a sign-in; {said} after a sign-out that left a message for
     * the page (see signOut); else {}. A refused sign-in (the person cancelled, the state is unknown) throws.
     */
    async returned() {
      await manager.clearStaleState();
      const url = new URL(location.href);
      const params = url.searchParams;
      const signIn = params.has('code') || params.has('error');
      if (!signIn && !params.has('state')) {
        return {};
      }
      try {
        if (signIn) {
          const user = await manager.signinRedirectCallback(url.href);
          renewLater(user);
          return { user };
        }
        return { said: (await manager.signoutRedirectCallback(url.href)).userState?.message };
      } finally {
        history.replaceState(null, '', url.pathname);
      }
    },

    /**
     * Leaves here and at the provider (end session, with the ID token as hint), which sends the browser
     * back to this page signed out; a `message` for that page waits in the sign-out's state meanwhile.
     */
    async signOut({ message } = {}) {
      const hint = idToken;
      this.forget();
      await manager.signoutRedirect({ id_token_hint: hint, ...(message ? { state: { message } } : {}) });
    },

    /** Forgets the tokens here, and stops renewing them; the provider's session stays. */
    forget() {
      clearTimeout(timer);
      idToken = null;
      manager.removeUser().catch(() => {});
    },
  };
}

/**
 * Who the tokens say this is: the subject (a customer's id), the name and email of the ID token, and
 * the role the access token's groups give (null when none of the service's).
 */
export function whoIs(user) {
  const groups = jwtDecode(user.access_token).groups ?? [];
  const role = ROLES.find(([group]) => groups.includes(group))?.[1] ?? null;
  const { sub, name, preferred_username: username, email } = user.profile;
  return { role, subject: sub, name: name || username || sub, email: email ?? null };
}
