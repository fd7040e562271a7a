// Customer A cannot see or act on customer B's orders. B's order id typed into A's page is "not
// found", in the very words an unknown id gets; the same requests sent directly with A's token are
// 404s just like an unknown order's; and while B places orders, in a tab of B's own and through the
// API, A's list and A's change stream never carry one of them.
import {
  api, check, customerTab, findOrder, quantity, request, rowShows, rowStates, scenario, streamTexts, tokensSentBy,
} from './harness.mjs';

const hidden = (text, id) => JSON.stringify(text).replaceAll(id, '<id>');

await scenario('customer-isolation', async ({ openTab, shot, log }) => {
  const ada = await api.customer('Ada Ashdown');
  const bob = await api.customer('Bob Brennan');
  const kettle = await api.product('Kettle', 19.9);
  const { orderId: bobsOrder } = await api.order(bob, kettle, 1);
  const { orderId: adasOrder } = await api.order(ada, kettle, 2);
  await api.orderListed(bob, bobsOrder, 1);
  await api.orderListed(ada, adasOrder, 1);

  const tabA = await customerTab(openTab, ada);
  await rowShows(tabA, adasOrder, { state: 'confirmed', status: 'PLACED', version: 1 });

  // typed into A's page: B's order and an order that does not exist read the same
  const unknown = crypto.randomUUID();
  const findError = tabA.locator('#find-error[role="alert"]');
  await findOrder(tabA, bobsOrder);
  await tabA.locator(`#find-error:has-text("${bobsOrder}")`).waitFor();
  const bobsMessage = await findError.textContent();
  await shot(tabA, 'b-order-not-found');
  await findOrder(tabA, unknown);
  await tabA.locator(`#find-error:has-text("${unknown}")`).waitFor();
  const unknownMessage = await findError.textContent();
  log(`B's order: "${bobsMessage}"; an unknown one: "${unknownMessage}"`);
  check(/does not exist/.test(bobsMessage), `B's order is shown as not found: ${bobsMessage}`);
  check(bobsMessage.replace(bobsOrder, '<id>') === unknownMessage.replace(unknown, '<id>'),
    'in the words an unknown order gets');
  check(await tabA.locator(`li[data-order-id="${bobsOrder}"]`).count() === 0, 'B\'s order is not listed');
  await findOrder(tabA, adasOrder);
  await tabA.locator('#find-error').waitFor({ state: 'hidden' });

  // requested directly with A's token: every read and command on B's order, and B's list and its
  // stream, answer what they answer for an unknown order (or customer)
  const [adaToken] = tokensSentBy(tabA);
  const address = { line1: '9 Elsewhere Road', city: 'Bristol', postalCode: 'BS1 4ST', country: 'GB' };
  const asAda = (method, path, options = {}) => request(method, path, { token: adaToken, ...options });
  const probes = [
    ['GET', (order) => `/orders/${order}`, {}],
    ['GET', (order) => `/orders/${order}`, { headers: { 'X-Min-Version': '1' } }],
    ['GET', (order) => `/orders/${order}/history`, {}],
    ['GET', (order) => `/orders/${order}/changes`, { headers: { Accept: 'text/event-stream' } }],
    ['GET', (order) => `/orders/${order}/changes?lastEventId=0`, { headers: { Accept: 'text/event-stream' } }],
    ['PUT', (order) => `/orders/${order}/shipping-address`, { body: address, headers: { 'If-Match': '"1"' } }],
    ['POST', (order) => `/orders/${order}/cancel`, { body: { reason: 'not mine' }, headers: { 'If-Match': '"1"' } }],
  ];
  for (const [method, path, options] of probes) {
    const bobs = await asAda(method, path(bobsOrder), options);
    const none = await asAda(method, path(unknown), options);
    log(`${method} ${path('{id}')}: B's order ${bobs.status}, an unknown one ${none.status}`);
    check(bobs.status === 404 && none.status === 404, `${method} ${path('{id}')} of B's order is a 404, as an unknown order's`);
    check(hidden(bobs.body, bobsOrder) === hidden(none.body, unknown),
      `${method} ${path('{id}')}: the same answer (${JSON.stringify(bobs.body)} / ${JSON.stringify(none.body)})`);
  }
  const stranger = crypto.randomUUID();
  for (const path of [(c) => `/customers/${c}/orders?limit=50`, (c) => `/customers/${c}/orders/changes`]) {
    const bobs = await asAda('GET', path(bob));
    const none = await asAda('GET', path(stranger));
    check(bobs.status === 404 && hidden(bobs.body, bob) === hidden(none.body, stranger),
      `GET ${path('{id}')} of B is a 404, as an unknown customer's: ${bobs.status} ${JSON.stringify(bobs.body)}`);
  }
  check((await api.history(bobsOrder)).map((e) => e.type).join() === 'OrderPlaced', 'B\'s order was not changed');

  // B places orders in a tab of B's own and through the API while A's page follows its stream
  const tabB = await customerTab(openTab, bob);
  await rowShows(tabB, bobsOrder, { state: 'confirmed', status: 'PLACED', version: 1 });
  await quantity(tabB, kettle).fill('3');
  await tabB.getByLabel('Street').first().fill('4 Bridge Street');
  await tabB.getByLabel('City').first().fill('Cambridge');
  await tabB.getByLabel('Postal code').first().fill('CB2 1UA');
  await tabB.getByLabel('Country').first().fill('GB');
  await tabB.getByRole('button', { name: 'Place order' }).click();
  const bobsSecond = await tabB.locator('li[data-order-id]').first().getAttribute('data-order-id');
  await rowShows(tabB, bobsSecond, { state: 'confirmed', status: 'PLACED', version: 1 });
  const { orderId: bobsThird } = await api.order(bob, kettle, 4);
  await api.confirm(bobsOrder, 1);
  await rowShows(tabB, bobsThird, { state: 'confirmed', status: 'PLACED', version: 1 });
  await rowShows(tabB, bobsOrder, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  const bobsOrders = [bobsOrder, bobsSecond, bobsThird];
  check(await tabB.locator(`li[data-order-id="${adasOrder}"]`).count() === 0, 'B\'s page does not list A\'s order');
  await shot(tabB, 'b-places-orders');

  // an order of A's own after B's: once A's page shows it live, A's stream has carried everything before it
  const { orderId: adasSecond } = await api.order(ada, kettle, 1);
  await rowShows(tabA, adasSecond, { state: 'confirmed', status: 'PLACED', version: 1 });
  await shot(tabA, 'a-sees-only-its-own');
  const listed = await tabA.locator('li[data-order-id]').evaluateAll((rows) => rows.map((r) => r.dataset.orderId));
  check(listed.length === 2 && listed.includes(adasOrder) && listed.includes(adasSecond), `A lists its two orders only: ${listed}`);
  for (const orderId of bobsOrders) {
    check((await rowStates(tabA, orderId)).length === 0, `A's page never showed B's order ${orderId}`);
  }
  const streamed = (await streamTexts(tabA)).map((s) => s.text).join('\n');
  check(streamed.includes(adasSecond), 'A\'s stream carried A\'s new order (the recording works)');
  for (const id of [bob, ...bobsOrders]) {
    check(!streamed.includes(id), `A's streams never carried ${id} of B`);
  }
});
