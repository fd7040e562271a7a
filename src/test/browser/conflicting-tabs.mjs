// Two tabs act on one order. Tab A's "ship" is held on its way to the service (a slow network)
// while tab B cancels the order: the service refuses A's command with If-Match "2" (the order is
// at version 3 by then), and tab A rolls back to the confirmed state, showing the service's message.
import { check, confirmedOrderInTwoTabs, row, rowShows, rowStates, scenario } from './harness.mjs';

await scenario('conflicting-tabs', async ({ openTab, shot, log }) => {
  const { orderId, tabA, tabB } = await confirmedOrderInTwoTabs(openTab, 'Ada Lovelace', 'Desk lamp', 30.0);

  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let shipSent = null;
  await tabA.route(`**/orders/${orderId}/ship`, async (route) => {
    shipSent = route.request().headers();
    await released;
    await route.continue();
  });

  await row(tabA, orderId).getByRole('button', { name: 'Ship' }).click();
  await rowShows(tabA, orderId, { state: 'pending', status: 'SHIPPED', version: 3 });
  await shot(tabA, 'tab-a-ship-pending');

  await row(tabB, orderId).getByRole('button', { name: 'Cancel' }).click();
  await tabB.getByLabel('Reason').fill('Found a better lamp');
  await tabB.getByRole('button', { name: 'Cancel order' }).click();
  await rowShows(tabB, orderId, { state: 'confirmed', status: 'CANCELLED', version: 3 });
  await shot(tabB, 'tab-b-cancel-confirmed');
  const statesB = await rowStates(tabB, orderId);
  check(statesB.some((s) => s.state === 'pending' && s.status === 'CANCELLED'), 'tab B showed its cancel as pending first');

  // tab A still shows its own action in flight, whatever arrived meanwhile
  await rowShows(tabA, orderId, { state: 'pending', status: 'SHIPPED' });
  check(shipSent && shipSent['if-match'] === '"2"', `tab A sent If-Match "2", sent ${JSON.stringify(shipSent)}`);
  check(/^[0-9a-f-]{36}$/.test(shipSent['idempotency-key'] || ''), 'tab A sent an Idempotency-Key');
  release();

  await rowShows(tabA, orderId, { state: 'confirmed', status: 'CANCELLED', version: 3 });
  const error = row(tabA, orderId).locator('[data-role="error"][role="alert"]');
  await error.waitFor();
  const message = await error.textContent();
  log(`tab A shows: ${message}`);
  check(message.includes('expected version 2, but the order is at version 3'), `the service's message is shown: ${message}`);
  check(await row(tabA, orderId).getByRole('button', { name: 'Ship' }).isDisabled(), 'a cancelled order cannot be shipped');
  await shot(tabA, 'tab-a-rolled-back');

  const statesA = await rowStates(tabA, orderId);
  log('tab A row states:', JSON.stringify(statesA.map(({ state, status, version }) => `${state} ${status} v${version}`)));
  check(!statesA.some((s) => s.state === 'confirmed' && s.status === 'SHIPPED'), 'tab A never showed the order confirmed as shipped');

  const history = await (await fetch(`${new URL(tabA.url()).origin}/orders/${orderId}/history`)).json();
  check(history.map((e) => e.type).join() === 'OrderPlaced,OrderConfirmed,OrderCancelled',
    `the service recorded no shipment: ${history.map((e) => e.type)}`);
});
