// Two tabs act on one order at the same moment, nothing held back: the service takes one action,
// the other tab rolls back with the service's message, and both tabs end up showing the same order.
import { check, confirmedOrderInTwoTabs, row, rowShows, scenario, until } from './harness.mjs';

await scenario('racing-tabs', async ({ openTab, shot, log }) => {
  const { orderId, tabA, tabB } = await confirmedOrderInTwoTabs(openTab, 'Leslie Lamport', 'Wall clock', 25.0);
  await row(tabB, orderId).getByRole('button', { name: 'Cancel' }).click();
  await tabB.getByLabel('Reason').fill('Ordered twice');

  const ship = row(tabA, orderId).getByRole('button', { name: 'Ship' });
  const cancel = tabB.getByRole('button', { name: 'Cancel order' });
  check(await ship.isEnabled() && await cancel.isEnabled(), 'both actions are offered');
  // one message to each page, sent together: Playwright's click() first checks that the button is
  // stable, which may take longer than the other tab's change takes to arrive, so the race would be lost
  await Promise.all([ship.evaluate((button) => button.click()), cancel.evaluate((button) => button.click())]);

  let history = [];
  await until('both commands were answered', async () => {
    history = await (await fetch(`${new URL(tabA.url()).origin}/orders/${orderId}/history`)).json();
    return history.length >= 3;
  });
  const winner = { OrderShipped: 'SHIPPED', OrderCancelled: 'CANCELLED' }[history[2].type];
  log(`the service took ${history[2].type}`);
  check(history.length === 3 && winner, `the service applied exactly one of the two: ${history.map((e) => e.type)}`);

  for (const tab of [tabA, tabB]) {
    await rowShows(tab, orderId, { state: 'confirmed', status: winner, version: 3 });
  }
  const [loser, other] = winner === 'SHIPPED' ? [tabB, tabA] : [tabA, tabB];
  const error = row(loser, orderId).locator('[data-role="error"]');
  await error.waitFor();
  const message = await error.textContent();
  log(`the other tab shows: ${message}`);
  check(/expected version 2, but the order is at version 3|cannot (ship|cancel) an order that is/.test(message),
    `the losing tab shows the service's message: ${message}`);
  check(await row(other, orderId).locator('[data-role="error"]').count() === 0, 'the winning tab shows no error');
  await shot(tabA, 'tab-a-after-race');
  await shot(tabB, 'tab-b-after-race');
});
