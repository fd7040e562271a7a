// Staff ship an order in one tab at the same moment as its customer cancels it in another, nothing
// held back: the service takes one action, the other tab rolls back with the service's message,
// and both tabs end up showing the same order.
import { api, check, confirmedOrder, customerTab, row, rowShows, scenario, staffTab, until } from './harness.mjs';

await scenario('racing-tabs', async ({ openTab, shot, log }) => {
  const { customerId, orderId } = await confirmedOrder('Leslie Lamport', 'Wall clock', 25.0);
  const staff = await staffTab(openTab, orderId);
  const customer = await customerTab(openTab, customerId);
  for (const tab of [staff, customer]) {
    await rowShows(tab, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  }
  // a click that lands while the row is drawn again (a late change event) opens nothing: as a user
  // would, click again until the dialog is there
  await until('the cancel dialog is open', async () => {
    if (!(await customer.getByLabel('Reason').isVisible())) {
      await row(customer, orderId).getByRole('button', { name: 'Cancel' }).click();
    }
    return customer.getByLabel('Reason').isVisible();
  });
  await customer.getByLabel('Reason').fill('Ordered twice');

  const ship = row(staff, orderId).getByRole('button', { name: 'Ship' });
  const cancel = customer.getByRole('button', { name: 'Cancel order' });
  check(await ship.isEnabled() && await cancel.isEnabled(), 'both actions are offered');
  // one message to each page, sent together: Playwright's click() first checks that the button is
  // stable, which may take longer than the other tab's change takes to arrive, so the race would be lost
  await Promise.all([ship.evaluate((button) => button.click()), cancel.evaluate((button) => button.click())]);

  let history = [];
  await until('both commands were answered', async () => {
    history = await api.history(orderId);
    return history.length >= 3;
  });
  const winner = { OrderShipped: 'SHIPPED', OrderCancelled: 'CANCELLED' }[history[2].type];
  log(`the service took ${history[2].type}`);
  check(history.length === 3 && winner, `the service applied exactly one of the two: ${history.map((e) => e.type)}`);

  for (const tab of [staff, customer]) {
    await rowShows(tab, orderId, { state: 'confirmed', status: winner, version: 3 });
  }
  const [loser, other] = winner === 'SHIPPED' ? [customer, staff] : [staff, customer];
  const error = row(loser, orderId).locator('[data-role="error"]');
  await error.waitFor();
  const message = await error.textContent();
  log(`the other tab shows: ${message}`);
  check(/expected version 2, but the order is at version 3|cannot (ship|cancel) an order that is/.test(message),
    `the losing tab shows the service's message: ${message}`);
  check(await row(other, orderId).locator('[data-role="error"]').count() === 0, 'the winning tab shows no error');
  await shot(staff, 'staff-after-race');
  await shot(customer, 'customer-after-race');
});
