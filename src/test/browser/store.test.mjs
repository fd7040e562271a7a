// The UI's store alone, in Node: how an action in flight is shown, confirmed and rolled back, what
// each role is offered, and what signing out forgets.
// Run from target/browser, where WebUiTest copies the scenarios, so the path climbs to the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedActions, createStore } from '../../src/main/resources/META-INF/resources/js/state.js';

const ORDER = '7a0f4a4e-0000-4000-8000-000000000001';
const CUSTOMER = '7a0f4a4e-0000-4000-8000-0000000000c1';

function signedInStore() {
  const store = createStore();
  store.signIn({ role: 'customer', subject: CUSTOMER });
  return store;
}

function storeWithConfirmedOrder() {
  const store = signedInStore();
  store.receive({ orderId: ORDER, status: 'CONFIRMED', version: 2, total: 30, placedAt: '2026-11-23T10:00:00Z' });
  return store;
}

test('an action shows its expected state at once, pending', () => {
  const store = storeWithConfirmedOrder();
  store.begin(ORDER, 'ship', { status: 'SHIPPED', version: 3 });
  assert.deepEqual(
    (({ state, status, version, total }) => ({ state, status, version, total }))(store.shown(ORDER)),
    { state: 'pending', status: 'SHIPPED', version: 3, total: 30 });
});

test('it is confirmed by a change event at least as new as the answer, not by the answer alone', () => {
  const store = storeWithConfirmedOrder();
  store.begin(ORDER, 'ship', { status: 'SHIPPED', version: 3 });
  store.accepted(ORDER, 3);
  assert.equal(store.shown(ORDER).state, 'pending');
  store.receive({ orderId: ORDER, status: 'SHIPPED', version: 3 });
  assert.equal(store.shown(ORDER).state, 'pending', 'a read of the order does not confirm the action');
  store.receive({ orderId: ORDER, status: 'SHIPPED', version: 3 }, { fromChange: true });
  assert.equal(store.shown(ORDER).state, 'confirmed');
  assert.equal(store.shown(ORDER).status, 'SHIPPED');
});

test('a change event that arrives before the answer confirms the action when the answer comes', () => {
  const store = storeWithConfirmedOrder();
  store.begin(ORDER, 'cancel', { status: 'CANCELLED', version: 3 });
  store.receive({ orderId: ORDER, status: 'CANCELLED', version: 3 }, { fromChange: true });
  assert.equal(store.shown(ORDER).state, 'pending');
  store.accepted(ORDER, 3);
  assert.equal(store.shown(ORDER).state, 'confirmed');
});

test('a refusal rolls back to the last confirmed state, including changes that arrived meanwhile, with the message', () => {
  const store = storeWithConfirmedOrder();
  store.begin(ORDER, 'ship', { status: 'SHIPPED', version: 3 });
  store.receive({ orderId: ORDER, status: 'CANCELLED', version: 3 }, { fromChange: true });
  assert.equal(store.shown(ORDER).status, 'SHIPPED', 'the action in flight still shows');
  store.rollback(ORDER, 'expected version 2, but the order is at version 3');
  const shown = store.shown(ORDER);
  assert.equal(shown.state, 'confirmed');
  assert.equal(shown.status, 'CANCELLED');
  assert.equal(shown.version, 3);
  assert.equal(shown.error, 'expected version 2, but the order is at version 3');
});

test('a refused new order leaves no row; its message goes to the order form', () => {
  const store = signedInStore();
  store.begin(ORDER, 'place', { orderId: ORDER, status: 'PLACED', version: 1, total: 12 });
  assert.deepEqual(store.orderIds(), [ORDER]);
  store.rollback(ORDER, 'product is discontinued');
  assert.deepEqual(store.orderIds(), []);
  assert.equal(store.state.placeError, 'product is discontinued');
});

test('older news than the store has is ignored', () => {
  const store = storeWithConfirmedOrder();
  store.receive({ orderId: ORDER, status: 'PLACED', version: 1 }, { fromChange: true });
  assert.equal(store.shown(ORDER).status, 'CONFIRMED');
  assert.equal(store.shown(ORDER).version, 2);
});

test('a customer is offered a change of address and cancelling; staff confirming, shipping and cancelling', () => {
  assert.deepEqual(allowedActions('customer', 'PLACED'), ['address', 'cancel']);
  assert.deepEqual(allowedActions('customer', 'CONFIRMED'), ['address', 'cancel']);
  assert.deepEqual(allowedActions('staff', 'PLACED'), ['confirm', 'cancel']);
  assert.deepEqual(allowedActions('staff', 'CONFIRMED'), ['ship', 'cancel']);
  for (const role of ['customer', 'staff', undefined]) {
    assert.deepEqual(allowedActions(role, 'SHIPPED'), []);
    assert.deepEqual(allowedActions(role, 'CANCELLED'), []);
  }
  assert.deepEqual(allowedActions(undefined, 'PLACED'), [], 'signed out, nothing is offered');
});

test('signing in names the customer; signing out forgets every order, product and message', () => {
  const store = storeWithConfirmedOrder();
  assert.equal(store.state.customerId, CUSTOMER);
  store.setProducts([{ productId: 'p1', sku: 'A-1', name: 'Pen', unitPrice: 1 }]);
  store.begin(ORDER, 'cancel', { status: 'CANCELLED', version: 3 });
  store.state.placeError = 'earlier refusal';
  const generation = store.state.generation;
  store.signOut();
  assert.equal(store.state.session, null);
  assert.equal(store.state.customerId, null);
  assert.equal(store.state.orders.size, 0);
  assert.equal(store.state.products.size, 0);
  assert.equal(store.state.placeError, null);
  assert.equal(store.state.live, 'offline');
  assert.ok(store.state.generation > generation, 'answers to the old session can be told apart');
});

test('staff have no customer id of their own', () => {
  const store = createStore();
  const subject = '6f1c0d7e-3b2a-4c5d-9e8f-0a1b2c3d4e5f';
  store.signIn({ role: 'staff', subject, name: 'Sam Staff' });
  assert.deepEqual(store.state.session, { role: 'staff', subject, name: 'Sam Staff' });
  assert.equal(store.state.customerId, null);
});
