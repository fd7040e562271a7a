// A second tab of the same customer sees, without reloading, what happens to the customer's orders:
// a new order placed in the first tab, its confirmation by staff and a changed shipping address; and
// both tabs follow the catalog as it changes. Each tab signed in on its own (a token lives in its page).
import { api, check, customerTab, quantity, row, rowShows, scenario } from './harness.mjs';

await scenario('live-second-tab', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Alan Turing');
  const notebook = await api.product('Notebook', 4.2);

  const tabA = await customerTab(openTab, customerId);
  const tabB = await customerTab(openTab, customerId);
  log(`following changes: ${await tabB.locator('body').getAttribute('data-live')}`);
  // a reload would lose this
  await tabB.evaluate(() => { window.__sameDocument = true; });

  await quantity(tabA, notebook).fill('5');
  await tabA.getByLabel('Street').first().fill('Bletchley Park');
  await tabA.getByLabel('City').first().fill('Milton Keynes');
  await tabA.getByLabel('Postal code').first().fill('MK3 6EB');
  await tabA.getByLabel('Country').first().fill('GB');
  await tabA.getByRole('button', { name: 'Place order' }).click();
  const orderId = await tabA.locator('li[data-order-id]').first().getAttribute('data-order-id');
  await rowShows(tabA, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });

  await rowShows(tabB, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await row(tabB, orderId).locator('[data-role="total"]:text-is("21.00")').waitFor();
  await shot(tabB, 'tab-b-sees-new-order');

  await api.confirm(orderId, 1);
  await rowShows(tabA, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  await rowShows(tabB, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  await shot(tabB, 'tab-b-sees-confirmation');

  await row(tabA, orderId).getByRole('button', { name: 'Change address' }).click();
  const dialog = tabA.locator('#address-dialog');
  await dialog.getByLabel('Street').fill('2 Wilton Park');
  await dialog.getByLabel('City').fill('Wilmslow');
  await dialog.getByLabel('Postal code').fill('SK9 4AN');
  await shot(tabA, 'tab-a-changes-address');
  await dialog.getByRole('button', { name: 'Change address' }).click();
  await rowShows(tabA, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 3 });
  await rowShows(tabB, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 3 });
  await row(tabB, orderId).locator('[data-role="address"]:text-is("2 Wilton Park, SK9 4AN Wilmslow, GB")').waitFor();
  await shot(tabB, 'tab-b-sees-new-address');

  await api.changePrice(notebook, 4.5);
  await tabB.locator(`tr[data-product-id="${notebook}"] td.num:text-is("4.50")`).waitFor();
  await api.discontinue(notebook);
  await tabB.locator(`tr[data-product-id="${notebook}"].discontinued input:disabled`).waitFor();
  await shot(tabB, 'tab-b-sees-catalog-changes');

  check(await tabB.evaluate(() => window.__sameDocument === true), 'tab B was never reloaded');
  check(await tabB.locator('[data-role="error"]:visible').count() === 0, 'tab B shows no error');
});
