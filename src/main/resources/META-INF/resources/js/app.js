// Wires the page: choosing a customer, loading and following their orders and the catalog, and
// the optimistic actions (show at once as pending → confirmed by a change event, or rolled back).
import { api, Refused } from './api.js';
import { follow, ORDER_EVENTS, PRODUCT_EVENTS } from './changes.js';
import { createStore } from './state.js';
import { createView, money } from './view.js';

const CUSTOMER_KEY = 'ordersvc.customerId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const store = createStore();
const view = createView(store, {
  action: startAction,
  dismiss: (orderId) => store.dismissError(orderId),
  quantityChanged: showPlaceTotal,
});
store.subscribe(() => view.render());

/** The streams followed for the chosen customer, closed when another is chosen. */
let following = [];

const messageOf = (error) => (error instanceof Refused ? error.message : String(error?.message || error));

// --- customer -------------------------------------------------------------------------------

function customerFromLocation() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('customer');
  const candidate = fromHash || localStorage.getItem(CUSTOMER_KEY);
  return candidate && UUID.test(candidate) ? candidate : null;
}

async function openCustomer(customerId) {
  following.forEach((stop) => stop());
  following = [];
  localStorage.setItem(CUSTOMER_KEY, customerId);
  if (new URLSearchParams(location.hash.slice(1)).get('customer') !== customerId) {
    history.replaceState(null, '', `#customer=${customerId}`);
  }
  view.customerError(null);
  store.setCustomer(customerId);
  store.setLive('connecting');
  try {
    await Promise.all([loadProducts(true), loadOrders(customerId, true)]);
  } catch (e) {
    view.customerError(`Could not load this customer: ${messageOf(e)}`);
  }
}

// --- catalog --------------------------------------------------------------------------------

async function loadProducts(subscribe) {
  const page = await api.products();
  store.setProducts(page.items);
  if (subscribe) {
    const stream = follow('/products/changes', {
      position: page.changesPosition,
      types: PRODUCT_EVENTS,
      onChange: (change) => api.product(change.productId).then((p) => store.putProduct(p), () => {}),
      onReset: () => loadProducts(false),
    });
    following.push(stream.close);
  }
}

// --- orders ---------------------------------------------------------------------------------

async function loadOrders(customerId, subscribe) {
  const page = await api.customerOrders(customerId);
  if (store.state.customerId !== customerId) {
    return;
  }
  page.items.forEach((item) => store.receive(item));
  page.items.forEach((item) => refreshDetails(item.orderId, item.version));
  if (!subscribe) {
    return;
  }
  // from the list's position: a change between loading and subscribing is replayed, not missed
  const stream = follow(`/customers/${customerId}/orders/changes`, {
    position: page.changesPosition,
    types: ORDER_EVENTS,
    onChange: orderChanged,
    onReset: () => loadOrders(customerId, false),
    onOpen: () => store.setLive('live'),
    onError: () => store.setLive('connecting'),
  });
  following.push(stream.close);
}

function orderChanged(change) {
  store.receive({ orderId: change.orderId, version: change.version, status: change.status }, { fromChange: true });
  refreshDetails(change.orderId, change.version);
}

/** Total, address and lines, which change notifications do not carry. */
function refreshDetails(orderId, version) {
  api.order(orderId, version).then((details) => {
    // an answer that comes back after another customer was chosen is dropped
    if (details.customer?.customerId === store.state.customerId) {
      store.receive(details);
    }
  }, () => {});
}

/**
 * One optimistic action: the expected state shows at once (pending), the command goes out with
 * If-Match of the version shown, and a refusal puts back the last confirmed state with the
 * service's message. Confirmation comes from the change stream (see store.accepted and store.receive).
 */
async function perform(orderId, action, expected, send) {
  const before = store.shown(orderId);
  const version = before ? before.version : 0;
  store.begin(orderId, action, { ...expected, version: version + 1 });
  try {
    const answer = await send(version);
    store.accepted(orderId, answer.version);
  } catch (error) {
    store.rollback(orderId, messageOf(error));
    const current = error instanceof Refused ? error.problem.currentVersion : undefined;
    if (before) {
      refreshDetails(orderId, current);
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
  const customerId = store.state.customerId;
  const expected = {
    orderId, status: 'PLACED', total: expectedTotal(lines), placedAt: new Date().toISOString(), shippingAddress, lines,
  };
  perform(orderId, 'place', expected, () => api.placeOrder({ orderId, customerId, shippingAddress, lines }));
});

// --- choosing a customer --------------------------------------------------------------------

document.getElementById('choose-customer').addEventListener('submit', (event) => {
  event.preventDefault();
  openCustomer(new FormData(event.target).get('customerId').trim().toLowerCase());
});

document.getElementById('register-customer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const answer = await api.registerCustomer(form.get('name'), form.get('email'));
    event.target.reset();
    openCustomer(answer.customerId);
  } catch (e) {
    view.customerError(messageOf(e));
  }
});

window.addEventListener('hashchange', () => {
  const customerId = customerFromLocation();
  if (customerId && customerId !== store.state.customerId) {
    openCustomer(customerId);
  }
});

view.render();
const initial = customerFromLocation();
if (initial) {
  openCustomer(initial);
} else {
  store.setLive('offline');
}
