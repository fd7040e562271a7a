// Staff look up a customer's order by its id, confirm it and ship it; the customer's tab, open all
// the while, sees each step live without reloading. Customers are offered no confirm or ship, and
// staff no change of address: the service would refuse them.
import {
  api, check, customerTab, findOrder, quantity, row, rowShows, rowStates, scenario, signInAsStaff,
} from './harness.mjs';

await scenario('staff-ships', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Katherine Johnson');
  const globe = await api.product('Globe', 60.0);

  const customer = await customerTab(openTab, customerId);
  await customer.evaluate(() => { window.__sameDocument = true; });
  await quantity(customer, globe).fill('1');
  await customer.getByLabel('Street').first().fill('1 NASA Drive');
  await customer.getByLabel('City').first().fill('Hampton');
  await customer.getByLabel('Postal code').first().fill('23666');
  await customer.getByLabel('Country').first().fill('US');
  await customer.getByRole('button', { name: 'Place order' }).click();
  const orderId = await customer.locator('li[data-order-id]').first().getAttribute('data-order-id');
  await rowShows(customer, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  for (const action of ['Confirm', 'Ship']) {
    check(await row(customer, orderId).getByRole('button', { name: action }).count() === 0, `a customer is offered no ${action}`);
  }

  const staff = await openTab(undefined, { browser: 'staff' });
  await signInAsStaff(staff, 'Dorothy Vaughan');
  await staff.locator('body[data-live="idle"]').waitFor();
  check((await staff.locator('[data-role="who"]').textContent()).includes('Dorothy Vaughan'), 'the page names the staff member');
  const unknown = crypto.randomUUID();
  await findOrder(staff, unknown);
  await staff.locator(`#find-error:has-text("order ${unknown} does not exist")`).waitFor();
  await findOrder(staff, orderId);
  await rowShows(staff, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await staff.locator('#find-error').waitFor({ state: 'hidden' });
  await staff.locator('body[data-live="live"]').waitFor();
  await row(staff, orderId).locator('[data-role="total"]:text-is("60.00")').waitFor();
  check(await row(staff, orderId).getByRole('button', { name: 'Change address' }).count() === 0,
    'staff are offered no change of address');
  check(await row(staff, orderId).getByRole('button', { name: 'Ship' }).isDisabled(), 'a placed order is confirmed before shipping');
  await shot(staff, 'staff-found-order');

  await row(staff, orderId).getByRole('button', { name: 'Confirm' }).click();
  await rowShows(staff, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  await rowShows(customer, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  await shot(customer, 'customer-sees-confirmation');

  await row(staff, orderId).getByRole('button', { name: 'Ship' }).click();
  await rowShows(staff, orderId, { state: 'confirmed', status: 'SHIPPED', version: 3 });
  await rowShows(customer, orderId, { state: 'confirmed', status: 'SHIPPED', version: 3 });
  await shot(staff, 'staff-shipped');
  await shot(customer, 'customer-sees-shipment');

  const staffStates = await rowStates(staff, orderId);
  log('staff row states:', JSON.stringify(staffStates.map(({ state, status, version }) => `${state} ${status} v${version}`)));
  check(staffStates.some((s) => s.state === 'pending' && s.status === 'CONFIRMED')
    && staffStates.some((s) => s.state === 'pending' && s.status === 'SHIPPED'), 'each staff action showed pending first');
  const customerStates = await rowStates(customer, orderId);
  check(['CONFIRMED', 'SHIPPED'].every((status) => customerStates.some((s) => s.state === 'confirmed' && s.status === status)),
    'the customer\'s tab showed the order confirmed, then shipped');
  check(await customer.evaluate(() => window.__sameDocument === true), 'the customer\'s tab was never reloaded');
  check(await row(customer, orderId).getByRole('button', { name: 'Cancel' }).isDisabled(), 'a shipped order cannot be cancelled');
  for (const tab of [staff, customer]) {
    check(await tab.locator('[data-role="error"]:visible').count() === 0, 'no error is shown');
  }

  const history = await api.history(orderId);
  check(history.map((e) => e.type).join() === 'OrderPlaced,OrderConfirmed,OrderShipped',
    `the service confirmed and shipped the order once each: ${history.map((e) => e.type)}`);
});
