// Draws the store into the page. Rows carry data-order-id, data-state (pending|confirmed) and
// data-status, so that people and tests read the same thing.
import { allowedActions } from './state.js';

/** The buttons of an order row, for each role: only actions the role may ever take are offered. */
const ACTION_LABELS = {
  customer: { address: 'Change address', cancel: 'Cancel' },
  staff: { confirm: 'Confirm', ship: 'Ship', cancel: 'Cancel' },
};

const LIVE_LABELS = { live: 'live', connecting: 'connecting…', offline: 'signed out', idle: 'no order followed' };

export function money(amount) {
  return amount === undefined || amount === null ? '…' : Number(amount).toFixed(2);
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function addressText(a) {
  return a ? `${a.line1}, ${a.postalCode} ${a.city}, ${a.country}` : '';
}

export function createView(store, on) {
  const $ = (id) => document.getElementById(id);
  // products are redrawn only when they change, so that a quantity being typed keeps its focus
  let productsDrawn = -1;

  function showError(node, message) {
    node.textContent = message || '';
    node.hidden = !message;
  }

  function productRow(product, quantity) {
    return el('tr', { 'data-product-id': product.productId, class: product.discontinued ? 'discontinued' : null },
      el('td', {}, product.name, product.discontinued ? el('span', { class: 'badge' }, 'discontinued') : null),
      el('td', { class: 'sku' }, product.sku),
      el('td', { class: 'num' }, money(product.unitPrice)),
      el('td', {}, el('input', {
        type: 'number', min: 0, max: 999, value: quantity, name: `qty-${product.productId}`,
        'aria-label': `Quantity of ${product.name}`, disabled: product.discontinued, oninput: on.quantityChanged,
      })));
  }

  function renderProducts() {
    const body = $('products');
    const quantities = new Map([...body.querySelectorAll('input')].map((i) => [i.name, i.value]));
    const products = [...store.state.products.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1));
    body.replaceChildren(...products.map((p) => productRow(p, quantities.get(`qty-${p.productId}`) || 0)));
    $('no-products').hidden = products.length > 0;
  }

  function orderRow(orderId) {
    const o = store.shown(orderId);
    const role = store.state.session?.role;
    const allowed = o.state === 'pending' ? [] : allowedActions(role, o.status);
    return el('li', {
      class: `order ${o.state}`, 'data-order-id': orderId, 'data-state': o.state, 'data-status': o.status,
      'data-version': o.version,
    },
      el('div', { class: 'summary' },
        el('span', { class: `badge status ${String(o.status).toLowerCase()}`, 'data-role': 'status' }, o.status),
        el('span', { class: 'total', 'data-role': 'total' }, money(o.total)),
        el('span', { class: 'version', 'data-role': 'version' }, `v${o.version}`),
        el('span', { class: `badge state ${o.state}`, 'data-role': 'state' },
          o.state === 'pending' ? `pending: ${o.action}…` : '✓ saved'),
        el('code', { class: 'id', title: orderId }, orderId.slice(0, 8)),
        // staff follow many customers' orders: each row says whose it is
        role === 'staff' && o.customer ? el('span', { class: 'customer', 'data-role': 'customer' }, o.customer.name) : null),
      el('div', { class: 'address', 'data-role': 'address' }, addressText(o.shippingAddress)),
      el('div', { class: 'actions' }, ...Object.entries(ACTION_LABELS[role] || {}).map(([action, label]) =>
        el('button', {
          type: 'button', 'data-action': action, disabled: !allowed.includes(action),
          onclick: () => on.action(orderId, action),
        }, label))),
      o.error ? el('p', { class: 'error', 'data-role': 'error', role: 'alert' }, el('span', { 'data-role': 'message' }, o.error),
        el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => on.dismiss(orderId) }, '×'))
        : null);
  }

  // a row is redrawn only when what it shows changed, so that a button being clicked stays in place
  const rows = new Map();

  function rowFor(orderId) {
    const signature = JSON.stringify([store.state.session?.role, store.shown(orderId)]);
    const drawn = rows.get(orderId);
    if (drawn && drawn.signature === signature) {
      return drawn.node;
    }
    const node = orderRow(orderId);
    rows.set(orderId, { node, signature });
    drawn?.node.replaceWith(node);
    return node;
  }

  function renderOrders() {
    const ids = store.orderIds();
    for (const orderId of rows.keys()) {
      if (!store.state.orders.has(orderId)) {
        rows.get(orderId).node.remove();
        rows.delete(orderId);
      }
    }
    const list = $('order-list');
    const nodes = ids.map(rowFor);
    if (nodes.some((node, i) => list.children[i] !== node) || list.children.length !== nodes.length) {
      list.replaceChildren(...nodes);
    }
    $('no-orders').hidden = ids.length > 0;
  }

  // the queue is redrawn only when a new page of it came, so that an Open being clicked stays in place
  let queueDrawn = -1;

  function queueRow(item) {
    return el('tr', { 'data-order-id': item.orderId, 'data-role': 'queued' },
      el('td', {}, el('code', { class: 'id', title: item.orderId }, item.orderId.slice(0, 8))),
      el('td', {}, el('code', { class: 'id', title: item.customerId, 'data-role': 'customer' }, item.customerId.slice(0, 8))),
      el('td', { class: 'num', 'data-role': 'total' }, money(item.total)),
      el('td', { 'data-role': 'confirmed-at' },
        el('time', { datetime: item.confirmedAt }, new Date(item.confirmedAt).toLocaleString())),
      el('td', {}, el('button', { type: 'button', 'data-action': 'open', onclick: () => on.openOrder(item.orderId) }, 'Open')));
  }

  function renderQueue() {
    if (queueDrawn === store.state.queueRevision) {
      return;
    }
    queueDrawn = store.state.queueRevision;
    const { items, more } = store.state.queue;
    $('queue').replaceChildren(...items.map(queueRow));
    $('queue-empty').hidden = items.length > 0;
    $('queue-more').hidden = !more;
  }

  /** Staff see two tabs, the orders they follow and the queue awaiting shipment; a customer sees its orders. */
  function renderTabs(role) {
    const tab = role === 'staff' ? store.state.tab : 'orders';
    $('staff-tabs').hidden = role !== 'staff';
    document.querySelectorAll('#staff-tabs [role="tab"]').forEach((button) => {
      button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    });
    $('orders-panel').hidden = tab !== 'orders';
    $('queue-panel').hidden = tab !== 'queue';
  }

  return {
    render() {
      const { session, live, placeError } = store.state;
      const role = session?.role;
      document.body.dataset.session = role || 'none';
      document.body.dataset.live = live;
      $('live').textContent = LIVE_LABELS[live] || live;
      $('who').textContent = !session ? '' : `${role === 'customer' ? 'Customer' : 'Staff'}: ${session.name}`;
      $('sign-out').hidden = !session;
      $('sign-in').hidden = Boolean(session);
      $('workspace').hidden = !session;
      $('place').hidden = role !== 'customer';
      $('orders-title').textContent = role === 'staff' ? 'Orders you follow' : 'Your orders';
      $('no-orders').textContent = role === 'staff' ? 'Look up an order by its id to follow it.' : 'No orders yet.';
      showError($('place-error'), placeError);
      if (productsDrawn !== store.state.productsRevision) {
        productsDrawn = store.state.productsRevision;
        renderProducts();
        on.quantityChanged();
      }
      renderOrders();
      renderTabs(role);
      renderQueue();
    },
    signInMessage(message) {
      showError($('sign-in-message'), message);
    },
    findError(message) {
      showError($('find-error'), message);
    },
    loadError(message) {
      showError($('load-error'), message);
    },
  };
}
