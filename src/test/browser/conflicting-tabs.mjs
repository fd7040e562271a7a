// The same customer in two tabs acts on one order. Tab A's change of address is held on its way to
// the service (a slow network) while tab B cancels the order: the service refuses A's command with
// If-Match "2" (the order is at version 3 by then), and tab A rolls back to the confirmed state,
// showing the service's message.
import { api, check, confirmedOrder, customerTab, row, rowShows, rowStates, scenario } from './harness.mjs';

await scenario('conflicting-tabs', async ({ openTab, shot, log }) => {
  const { customerId, orderId } = await confirmedOrder('Ada Lovelace', 'Desk lamp', 30.0);
  const tabA = await customerTab(openTab, customerId);
  const tabB = await customerTab(openTab, customerId);
  for (const tab of [tabA, tabB]) {
    await rowShows(tab, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  }
  // the dialog starts from the address the row shows, which arrives with the order's details
  await row(tabA, orderId).locator('[data-role="address"]:text-is("1 Harbour Street, 20457 Hamburg, DE")').waitFor();

  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let sent = null;
  await tabA.route(`**/orders/${orderId}/shipping-address`, async (route) => {
    sent = route.request().headers();
    await released;
    await route.continue();
  });

  await row(tabA, orderId).getByRole('button', { name: 'Change address' }).click();
  const dialog = tabA.locator('#address-dialog');
  await dialog.getByLabel('Street').fill('12 St James\'s Square');
  await dialog.getByRole('button', { name: 'Change address' }).click();
  await rowShows(tabA, orderId, { state: 'pending', status: 'CONFIRMED', version: 3 });
  await row(tabA, orderId).locator('[data-role="address"]:has-text("12 St James\'s Square")').waitFor();
  await shot(tabA, 'tab-a-address-pending');

  await row(tabB, orderId).getByRole('button', { name: 'Cancel' }).click();
  await tabB.getByLabel('Reason').fill('Found a better lamp');
  await tabB.getByRole('button', { name: 'Cancel order' }).click();
  await rowShows(tabB, orderId, { state: 'confirmed', status: 'CANCELLED', version: 3 });
  await shot(tabB, 'tab-b-cancel-confirmed');
  const statesB = await rowStates(tabB, orderId);
  check(statesB.some((s) => s.state === 'pending' && s.status === 'CANCELLED'), 'tab B showed its cancel as pending first');

  // tab A still shows its own action in flight, whatever arrived meanwhile
  await rowShows(tabA, orderId, { state: 'pending', status: 'CONFIRMED' });
  check(sent && sent['if-match'] === '"2"', `tab A sent If-Match "2", sent ${JSON.stringify(sent)}`);
  check(/^[0-9a-f-]{36}$/.test(sent['idempotency-key'] || ''), 'tab A sent an Idempotency-Key');
  check(/^Bearer /.test(sent.authorization || ''), 'tab A sent its bearer token');
  release();

  await rowShows(tabA, orderId, { state: 'confirmed', status: 'CANCELLED', version: 3 });
  const error = row(tabA, orderId).locator('[data-role="error"][role="alert"]');
  await error.waitFor();
  const message = await error.textContent();
  log(`tab A shows: ${message}`);
  check(message.includes('expected version 2, but the order is at version 3'), `the service's message is shown: ${message}`);
  check(await row(tabA, orderId).getByRole('button', { name: 'Change address' }).isDisabled(),
    'a cancelled order\'s address cannot be changed');
  check(!(await row(tabA, orderId).locator('[data-role="address"]').textContent()).includes('St James'),
    'the address shown is the one the order has');
  await shot(tabA, 'tab-a-rolled-back');

  const statesA = await rowStates(tabA, orderId);
  log('tab A row states:', JSON.stringify(statesA.map(({ state, status, version }) => `${state} ${status} v${version}`)));
  check(!statesA.some((s) => s.state === 'confirmed' && s.version === 3 && s.status === 'CONFIRMED'),
    'tab A never showed its address change confirmed');

  const history = await api.history(orderId);
  check(history.map((e) => e.type).join() === 'OrderPlaced,OrderConfirmed,OrderCancelled',
    `the service recorded no change of address: ${history.map((e) => e.type)}`);
});
