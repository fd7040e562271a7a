// Wires the page: signing in at the identity provider (auth.js), loading and following what the
// session may see, and the optimistic actions (show at once as pending → confirmed by a change
// event, or rolled back).
import { api, Refused } from './api.js';
import { createAuth, whoIs } from './auth.js';
import { follow, ORDER_EVENTS, PRODUCT_EVENTS } from './changes.js';
import { session } from './session.js';
import { createStore } from './state.js';
import { createView, money } from './view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const store = createStore();
const view = createView(store, {
  action: startAction,
  dismiss: (orderId) => store.dismissError(orderId),
  quantityChanged: showPlaceTotal,
  openOrder: (orderId) => openOrder(orderId),
});
store.subscribe(() => view.render());

const messageOf = (error) => (error instanceof Refused ? error.message : String(error?.message || error));

/** Whether the session that started something is still the one signed in. */
const current = (generation) => store.state.session !== null && store.state.generation === generation;

// --- signing in and out -----------------------------------------------------------------------

/** The provider, once the service has said which (see auth.js); null until then or when it could not. */
let auth = null;

const signInButton = document.getElementById('sign-in-button');

/** Learns the provider, then completes a return from it if this page load is one. */
async function start() {
  try {
    auth = await createAuth({ renewed: tokenRenewed, ended: renewalEnded });
  } catch (e) {
    view.signInMessage(`Signing in is not possible now: ${messageOf(e)}`);
    return;
  }
  let back;
  try {
    back = await auth.returned();
  } catch (e) {
    view.signInMessage(`Could not sign in: ${messageOf(e)}`);
  }
  signInButton.disabled = false;
  if (back?.user) {
    await begin(back.user);
  } else if (back?.said) {
    view.signInMessage(back.said);
  }
}

/**
 * Starts the session the provider's tokens prove. A customer's first sign-in makes its customer
 * record, from the ID token's name and email; if that fails the session is left again.
 */
async function begin(user) {
  const who = whoIs(user);
  if (!who.role) {
    // signed out at the provider too, so that someone else may sign in
    auth.signOut({ message: `${who.name} may not use this service (no customer, staff or admin role): you are signed `
      + 'out, and may sign in as someone else.' })
      .catch((e) => view.signInMessage(`${who.name} may not use this service; signing out failed: ${messageOf(e)}`));
    return;
  }
  session.start(user.access_token, who.role, who.subject);
  if (who.role === 'customer') {
    try {
      await linkCustomer(who);
    } catch (e) {
      session.end();
      auth.forget();
      view.signInMessage(`Could not register you as a customer: ${messageOf(e)}`);
      return;
    }
  }
  store.signIn(who);
  view.signInMessage(null);
  if (who.role === 'customer') {
    openCustomer(store.state.generation);
  } else {
    showLive();
  }
}

/** The signed-in person's customer record: registered now, or already (a 409 that says so links it). */
async function linkCustomer({ name, email }) {
  try {
    await api.registerCustomer(name, email);
  } catch (e) {
    if (!(e instanceof Refused && e.status === 409 && /registered already/.test(e.message))) {
      throw e;
    }
  }
}

/** Requests and stream reconnections from now on carry the renewed token; streams that are open go on. */
function tokenRenewed(user) {
  if (session.who()?.subject === user.profile.sub) {
    session.renewed(user.access_token);
  }
}

function renewalEnded() {
  if (store.state.session) {
    endSession('Your sign-in has ended at the identity provider. Please sign in again.');
  }
}

/** Leaves the session here: its token, streams, orders, products, forms and messages are all forgotten. */
function endSession(message = null) {
  stopFollowing();
  session.end();
  auth?.forget();
  for (const dialog of [addressDialog, cancelDialog]) {
    dialogOrder = null;
    if (dialog.open) {
      dialog.close('cancel');
    }
  }
  store.signOut();
  document.querySelectorAll('form').forEach((form) => form.reset());
  view.findError(null);
  view.loadError(null);
  view.signInMessage(message);
}

session.onRefused(() => endSession('The service did not accept your sign-in (it may have expired, or the service '
  + 'was restarted with new keys). Please sign in again.'));

signInButton.addEventListener('click', async () => {
  signInButton.disabled = true; // the page is leaving for the provider's
  try {
    await auth.signIn();
  } catch (e) {
    signInButton.disabled = false;
    view.signInMessage(`Could not reach the identity provider: ${messageOf(e)}`);
  }
});

// signed out here, then at the provider, which sends the browser back to this page
document.getElementById('sign-out').addEventListener('click', async () => {
  const signingOut = auth.signOut();
  endSession();
  try {
    await signingOut;
  } catch (e) {
    view.signInMessage(`Signed out here, but the identity provider could not be reached: ${messageOf(e)}`);
  }
});

// --- following change streams -----------------------------------------------------------------

/** The streams the session follows, by name, and whether each is connected now. */
const streams = new Map();

function followStream(name, path, options) {
  const stream = follow(path, {
    ...options,
    authorization: () => session.authorization(),
    onOpen: () => streamIs(name, true),
    onError: () => streamIs(name, false),
    onRefused: (refused) => {
      streams.delete(name);
      showLive();
      console.error(`change stream ${path} refused: ${refused.message}`);
    },
  });
  streams.set(name, { close: stream.close, open: false });
  showLive();
}

function streamIs(name, open) {
  const stream = streams.get(name);
  if (stream) {
    stream.open = open;
    showLive();
  }
}

/** Live when every stream the session follows is connected. */
function showLive() {
  if (!store.state.session) {
    return;
  }
  const all = [...streams.values()];
  store.setLive(all.length === 0 ? 'idle' : all.every((s) => s.open) ? 'live' : 'connecting');
}

function stopFollowing() {
  streams.forEach((stream) => stream.close());
  streams.clear();
}

// --- a customer's catalog and orders ----------------------------------------------------------

async function openCustomer(generation) {
  try {
    await Promise.all([loadProducts(generation, true), loadOrders(generation, true)]);
  } catch (e) {
    if (current(generation)) {
      view.loadError(`Could not load your orders: ${messageOf(e)}`);
    }
  }
}

async function loadProducts(generation, subscribe) {
  const page = await api.products();
  if (!current(generation)) {
    return;
  }
  store.setProducts(page.items);
  if (subscribe) {
    followStream('products', '/products/changes', {
      position: page.changesPosition,
      types: PRODUCT_EVENTS,
      onChange: (change) => api.product(change.productId).then((p) => current(generation) && store.putProduct(p), () => {}),
      onReset: () => loadProducts(generation, false).catch(() => {}),
    });
  }
}

async function loadOrders(generation, subscribe, { afterReset = false } = {}) {
  const { customerId } = store.state;
  const page = await api.customerOrders(customerId);
  if (!current(generation)) {
    return;
  }
  // after a reset the list stands in for the change events missed: it is at least as new as they were
  page.items.forEach((item) => store.receive(item, { fromChange: afterReset }));
  page.items.forEach((item) => refreshDetails(item.orderId, item.version));
  if (!subscribe) {
    return;
  }
  // from the list's position: a change between loading and subscribing is replayed, not missed
  followStream('orders', `/customers/${customerId}/orders/changes`, {
    position: page.changesPosition,
    types: ORDER_EVENTS,
    onChange: orderChanged,
    onReset: () => loadOrders(generation, false, { afterReset: true }).catch(() => {}),
  });
}

function orderChanged(change) {
  store.receive({ orderId: change.orderId, version: change.version, status: change.status }, { fromChange: true });
  refreshDetails(change.orderId, change.version);
}

/** Total, address and lines, which change notifications do not carry. */
function refreshDetails(orderId, version, { afterReset = false } = {}) {
  const generation = store.state.generation;
  api.order(orderId, version).then((details) => {
    // an answer that comes back after the session changed is dropped
    if (current(generation)) {
      store.receive(details, { fromChange: afterReset });
    }
  }, () => {});
}

// --- finding an order (staff: any order, which is then followed; a customer: its own) ----------

document.getElementById('find-order').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const orderId = new FormData(form).get('orderId').trim().toLowerCase();
  if (!UUID.test(orderId)) {
    view.findError('An order id is a UUID, such as 7a0f4a4e-1c2b-4d3e-8f90-123456789abc.');
    return;
  }
  if (await lookUp(orderId)) {
    form.reset();
  }
});

/** Shows the order (staff then follow it) and answers whether it was found. */
async function lookUp(orderId) {
  const generation = store.state.generation;
  try {
    const details = await api.order(orderId);
    if (!current(generation)) {
      return false;
    }
    view.findError(null);
    store.receive(details);
    if (store.state.session.role === 'staff') {
      followOrder(orderId, details.version);
    }
    document.querySelector(`li[data-order-id="${orderId}"]`)?.scrollIntoView({ block: 'nearest' });
    return true;
  } catch (e) {
    // 404 for an unknown order and for another customer's alike: the service tells them apart for no one
    if (current(generation)) {
      view.findError(messageOf(e));
    }
    return false;
  }
}

/** Staff follow each order they looked up on the order's own stream, from the version they saw. */
function followOrder(orderId, version) {
  const name = `order:${orderId}`;
  if (streams.has(name)) {
    return;
  }
  followStream(name, `/orders/${orderId}/changes`, {
    position: version,
    types: ORDER_EVENTS,
    onChange: orderChanged,
    onReset: () => refreshDetails(orderId, undefined, { afterReset: true }),
  });
}

// --- staff: the queue of orders awaiting shipment ----------------------------------------------

document.getElementById('staff-tabs').addEventListener('click', (event) => {
  const tab = event.target.closest('[data-tab]')?.dataset.tab;
  if (tab) {
    showTab(tab);
  }
});

/** Staff switch views; the queue is loaded and followed while its tab is shown. */
function showTab(tab) {
  if (store.state.session?.role !== 'staff' || store.state.tab === tab) {
    return;
  }
  store.showTab(tab);
  if (tab === 'queue') {
    queuePages = 1;
    reloadQueue(store.state.generation);
  } else {
    streams.get('queue')?.close();
    streams.delete('queue');
    showLive();
  }
}

/** From a queued order to its row among the orders followed, where it can be shipped. */
function openOrder(orderId) {
  showTab('orders');
  lookUp(orderId);
}

/** Pages of the queue shown: the first, and one more each time staff ask for more. */
let queuePages = 1;

document.getElementById('queue-show-more').addEventListener('click', () => {
  queuePages++;
  reloadQueue(store.state.generation);
});

/**
 * The queue's pages shown, then its change stream from the first page's position while the tab is
 * shown: an order that came or went since is announced, and the pages are read again.
 */
async function loadQueue(generation) {
  const first = await api.awaitingShipment();
  const items = [...first.items];
  let cursor = first.nextCursor;
  for (let page = 1; page < queuePages && cursor; page++) {
    const next = await api.awaitingShipment(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  if (!current(generation) || store.state.tab !== 'queue') {
    return;
  }
  store.setQueue({ items, more: Boolean(cursor) });
  view.loadError(null);
  if (!streams.has('queue')) {
    followStream('queue', '/staff/orders/awaiting-shipment/changes', {
      position: first.changesPosition,
      types: ORDER_EVENTS,
      onChange: () => reloadQueue(generation),
      onReset: () => reloadQueue(generation),
    });
  }
}

/** One read of the queue at a time: changes that arrive during it are answered by one more read after it. */
let queueReading = false;
let queueStale = false;

async function reloadQueue(generation) {
  if (queueReading) {
    queueStale = true;
    return;
  }
  queueReading = true;
  try {
    await loadQueue(generation);
  } catch (e) {
    if (current(generation)) {
      view.loadError(`Could not load the orders awaiting shipment: ${messageOf(e)}`);
    }
  } finally {
    queueReading = false;
  }
  if (queueStale) {
    queueStale = false;
    if (current(generation)) {
      reloadQueue(generation);
    }
  }
}

/**
 * One optimistic action: the expected state shows at once (pending), the command goes out with
 * If-Match of the version shown, and a refusal puts back the last confirmed state with the
 * service's message. Confirmation comes from the change stream (see store.accepted and store.receive).
 */
async function perform(orderId, action, expected, send) {
  const generation = store.state.generation;
  const before = store.shown(orderId);
  const version = before ? before.version : 0;
  store.begin(orderId, action, { ...expected, version: version + 1 });
  try {
    const answer = await send(version);
    if (current(generation)) {
      store.accepted(orderId, answer.version);
    }
  } catch (error) {
    if (!current(generation)) {
      return;
    }
    store.rollback(orderId, messageOf(error));
    const currentVersion = error instanceof Refused ? error.problem.currentVersion : undefined;
    if (before) {
      refreshDetails(orderId, currentVersion);
    }
  }
}

// --- the actions on an order row --------------------------------------------------------------

const addressDialog = document.getElementById('address-dialog');
const cancelDialog = document.getElementById('cancel-dialog');
let dialogOrder = null;

function startAction(orderId, action) {
  const shown = store.shown(orderId);
  if (!shown || shown.state === 'pending') {
    return;
  }
  if (action === 'confirm') {
    perform(orderId, 'confirm', { status: 'CONFIRMED' }, (v) => api.confirm(orderId, v));
  } else if (action === 'ship') {
    perform(orderId, 'ship', { status: 'SHIPPED' }, (v) => api.ship(orderId, v));
  } else if (action === 'cancel') {
    dialogOrder = orderId;
    cancelDialog.showModal();
  } else if (action === 'address') {
    dialogOrder = orderId;
    const form = addressDialog.querySelector('form');
    for (const [name, value] of Object.entries(shown.shippingAddress || {})) {
      if (form.elements[name]) {
        form.elements[name].value = value;
      }
    }
    addressDialog.showModal();
  }
}

addressDialog.addEventListener('close', () => {
  if (addressDialog.returnValue !== 'save' || !dialogOrder) {
    return;
  }
  const orderId = dialogOrder;
  const address = Object.fromEntries(new FormData(addressDialog.querySelector('form')));
  perform(orderId, 'address', { shippingAddress: address }, (v) => api.changeAddress(orderId, v, address));
});

cancelDialog.addEventListener('close', () => {
  if (cancelDialog.returnValue !== 'save' || !dialogOrder) {
    return;
  }
  const orderId = dialogOrder;
  const reason = new FormData(cancelDialog.querySelector('form')).get('reason');
  perform(orderId, 'cancel', { status: 'CANCELLED' }, (v) => api.cancel(orderId, v, reason));
});

// --- placing an order -----------------------------------------------------------------------

const placeForm = document.getElementById('place-order');

function chosenLines() {
  return [...placeForm.querySelectorAll('#products input:not(:disabled)')]
    .map((input) => ({ productId: input.closest('tr').dataset.productId, quantity: Number(input.value) }))
    .filter((line) => line.quantity > 0);
}

/** The total the service will compute from catalog prices, in whole cents to stay exact. */
function expectedTotal(lines) {
  const cents = lines.reduce((sum, line) => {
    const product = store.state.products.get(line.productId);
    return sum + Math.round(Number(product?.unitPrice || 0) * 100) * line.quantity;
  }, 0);
  return cents / 100;
}

function showPlaceTotal() {
  document.getElementById('place-total').textContent = money(expectedTotal(chosenLines()));
}

placeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const lines = chosenLines();
  if (lines.length === 0) {
    store.state.placeError = 'Choose at least one product.';
    view.render();
    return;
  }
  const form = new FormData(placeForm);
  const shippingAddress = {
    line1: form.get('line1'), city: form.get('city'), postalCode: form.get('postalCode'), country: form.get('country'),
  };
  const orderId = crypto.randomUUID();
  const { customerId } = store.state;
  const expected = {
    orderId, status: 'PLACED', total: expectedTotal(lines), placedAt: new Date().toISOString(), shippingAddress, lines,
  };
  perform(orderId, 'place', expected, () => api.placeOrder({ orderId, customerId, shippingAddress, lines }));
});

view.render();
start();
