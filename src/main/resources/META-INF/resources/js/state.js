// What the UI knows. Each order keeps the last state the service confirmed apart from the one
// action it has in flight, so that showing the expected state, confirming it and rolling it back
// are each one small step here.

/**
 * Which actions each role may take on an order in each status, as the service's lifecycle and
 * access rules allow: a customer changes the address of and cancels its own orders; staff confirm,
 * ship and cancel any order.
 */
export const ALLOWED = {
  customer: { PLACED: ['address', 'cancel'], CONFIRMED: ['address', 'cancel'], SHIPPED: [], CANCELLED: [] },
  staff: { PLACED: ['confirm', 'cancel'], CONFIRMED: ['ship', 'cancel'], SHIPPED: [], CANCELLED: [] },
};

/** The actions this role may take on an order in this status. */
export function allowedActions(role, status) {
  return ALLOWED[role]?.[status] ?? [];
}

export function createStore() {
  const state = {
    /** Who is signed in ({role, subject, name}; never the token), or null. */
    session: null,
    /** The signed-in customer's id (the token's subject), or null for staff and when signed out. */
    customerId: null,
    /** Counts sign-ins and sign-outs, so that an answer to an earlier session can be told apart. */
    generation: 0,
    products: new Map(),
    productsRevision: 0,
    orders: new Map(),
    placeError: null,
    live: 'offline',
    /** Staff's view: the orders they follow, or the queue awaiting shipment. */
    tab: 'orders',
    /** The queue's longest waiting orders as last loaded, and whether more wait beyond them. */
    queue: { items: [], more: false },
    queueRevision: 0,
  };
  const listeners = new Set();
  const changed = () => listeners.forEach((listener) => listener(state));

  const forget = () => {
    state.session = null;
    state.customerId = null;
    state.generation++;
    state.products = new Map();
    state.productsRevision++;
    state.orders.clear();
    state.placeError = null;
    state.live = 'offline';
    state.tab = 'orders';
    state.queue = { items: [], more: false };
    state.queueRevision++;
  };

  const entry = (orderId) => {
    let e = state.orders.get(orderId);
    if (!e) {
      e = { orderId, confirmed: null, pending: null, error: null, seenVersion: 0, lastSeen: {}, changeVersion: 0 };
      state.orders.set(orderId, e);
    }
    return e;
  };

  /** Clears the action in flight once a change event at least as new as the command's answer arrived. */
  const settle = (e) => {
    const p = e.pending;
    if (p && p.awaitVersion !== null && e.changeVersion >= p.awaitVersion) {
      // the service applied this action: fields its change notification did not carry keep their
      // expected values until the order's details arrive
      e.confirmed = { ...e.confirmed, ...p.expected, ...e.lastSeen };
      e.pending = null;
    }
  };

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
    },

    /** A new session: nothing of the one before is kept. */
    signIn({ role, subject, name = subject }) {
      forget();
      state.session = { role, subject, name };
      state.customerId = role === 'customer' ? subject : null;
      state.live = 'connecting';
      changed();
    },

    /** Signed out: every order, product and message of the session is forgotten. */
    signOut() {
      forget();
      changed();
    },

    setLive(live) {
      state.live = live;
      changed();
    },

    setProducts(items) {
      state.products = new Map(items.map((p) => [p.productId, p]));
      state.productsRevision++;
      changed();
    },

    showTab(tab) {
      state.tab = tab;
      changed();
    },

    /** The queue awaiting shipment as the service listed it (more: orders wait beyond these); it replaces what was shown. */
    setQueue({ items, more }) {
      state.queue = { items, more };
      state.queueRevision++;
      changed();
    },

    putProduct(product) {
      state.products.set(product.productId, product);
      state.productsRevision++;
      changed();
    },

    /**
     * Takes what the service says an order is now: a list item, the order's details or a change
     * event (orderId, version, status). Older news than the UI already has is ignored. Only a
     * change event confirms an action in flight.
     */
    receive(view, { fromChange = false } = {}) {
      const e = entry(view.orderId);
      const current = e.confirmed ? e.confirmed.version : 0;
      if (view.version > current || (view.version === current && e.confirmed)) {
        e.confirmed = { ...e.confirmed, ...view };
      }
      if (view.version > e.seenVersion) {
        e.seenVersion = view.version;
        e.lastSeen = view;
      }
      if (fromChange) {
        e.changeVersion = Math.max(e.changeVersion, view.version);
      }
      settle(e);
      changed();
    },

    /** Shows an action's expected outcome at once, marked pending. */
    begin(orderId, action, expected) {
      const e = entry(orderId);
      e.pending = { action, expected: { ...e.confirmed, ...expected }, awaitVersion: null };
      e.error = null;
      if (!e.confirmed) {
        state.placeError = null;
      }
      changed();
    },

    /** The service accepted the action at this version; it is confirmed once a change at least that new arrives. */
    accepted(orderId, version) {
      const e = state.orders.get(orderId);
      if (e && e.pending) {
        e.pending.awaitVersion = version;
        settle(e);
        changed();
      }
    },

    /** The service refused the action: back to the last confirmed state, with its message. */
    rollback(orderId, message) {
      const e = state.orders.get(orderId);
      if (!e) {
        return;
      }
      e.pending = null;
      if (e.confirmed) {
        e.error = message;
      } else {
        // an order that was never placed has no row to go back to: the message goes to the form
        state.orders.delete(orderId);
        state.placeError = message;
      }
      changed();
    },

    dismissError(orderId) {
      const e = state.orders.get(orderId);
      if (e) {
        e.error = null;
        changed();
      }
    },

    /** What a row shows: the expected state while an action is in flight, else the confirmed one. */
    shown(orderId) {
      const e = state.orders.get(orderId);
      if (!e) {
        return null;
      }
      const view = e.pending ? e.pending.expected : e.confirmed;
      return { ...view, state: e.pending ? 'pending' : 'confirmed', action: e.pending?.action, error: e.error };
    },

    /** Orders newest first, as the service lists them. */
    orderIds() {
      return [...state.orders.values()]
        .map((e) => ({ id: e.orderId, at: (e.confirmed || e.pending?.expected)?.placedAt || '' }))
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
        .map((o) => o.id);
    },
  };
}
