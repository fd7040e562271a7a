// Signing in and out. An existing customer signs in by the id typed, or picked from the customers
// this tab has used; signing out forgets everything the session showed and stops following its
// streams; a token the service refuses (401) returns the page to sign-in with a message saying so.
import {
  api, check, findOrder, requestsOf, row, rowShows, scenario, signInAsStaff, tokensSentBy,
} from './harness.mjs';

/** The same token with another signature: the service's 401 for a token that is not its own. */
const forged = (token) => token.replace(/.{8}$/, (tail) => (tail === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'));

await scenario('sign-in-and-out', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Edsger Dijkstra');
  const slate = await api.product('Slate', 3.0);
  const { orderId } = await api.order(customerId, slate, 2);
  await api.orderListed(customerId, orderId, 1);

  const page = await openTab();
  await page.locator('body[data-session="none"][data-live="offline"]').waitFor();
  check(await page.locator('#workspace').isHidden(), 'nothing but the sign-in is shown before signing in');
  await page.getByLabel('Customer id').fill('not-a-customer-id');
  await page.getByRole('button', { name: 'Sign in as customer' }).click();
  await page.locator('[data-role="sign-in-message"]:has-text("A customer id is a UUID")').waitFor();
  check(tokensSentBy(page).length === 0 && !requestsOf(page).some((r) => r.url.endsWith('/dev/tokens')),
    'no token was asked for');

  // pasted with spaces around and in capitals: still the customer's id
  await page.getByLabel('Customer id').fill(` ${customerId.toUpperCase()} `);
  await page.getByRole('button', { name: 'Sign in as customer' }).click();
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
  check((await page.locator('[data-role="who"]').textContent()).includes(customerId), 'the page names the customer');
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await row(page, orderId).locator('[data-role="total"]:text-is("6.00")').waitFor();
  await shot(page, 'signed-in-by-id');

  // signing out: the token, the orders, the catalog, the streams and the forms are gone
  const streamsBefore = await page.evaluate(() => window.__streams.length);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('body[data-session="none"][data-live="offline"]').waitFor();
  check(await page.locator('li[data-order-id]').count() === 0, 'no order is shown');
  check(await page.locator('#products tr').count() === 0, 'no product is shown');
  check((await page.locator('[data-role="who"]').textContent()) === '', 'no one is named');
  check(await page.getByLabel('Customer id').inputValue() === '', 'the id typed is cleared');
  check(await page.locator('#workspace').isHidden() && await page.locator('#sign-out').isHidden(), 'only the sign-in is shown');
  const before = requestsOf(page).length;
  await shot(page, 'signed-out');

  // picked from the customers this tab has used: a new token, the same orders
  await page.getByRole('button', { name: new RegExp(customerId) }).click();
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  check(requestsOf(page).slice(before).some((r) => r.url.endsWith('/dev/tokens')), 'signing in again minted a token');
  check(await page.evaluate((n) => window.__streams.length > n, streamsBefore), 'and followed the streams anew');
  await shot(page, 'signed-in-from-the-list');

  // the service refuses the token: back to sign-in, saying why
  const [token] = tokensSentBy(page).slice(-1);
  await page.route(`**/orders/${orderId}`, (route) => route.continue({
    headers: { ...route.request().headers(), authorization: `Bearer ${forged(token)}` },
  }));
  await findOrder(page, orderId);
  const message = page.locator('[data-role="sign-in-message"][role="alert"]');
  await message.waitFor();
  log(`after a 401: ${await message.textContent()}`);
  check(/did not accept your sign-in/.test(await message.textContent()) && /sign in again/i.test(await message.textContent()),
    'the page says the sign-in was not accepted and asks to sign in again');
  await page.locator('body[data-session="none"][data-live="offline"]').waitFor();
  check(await page.locator('li[data-order-id]').count() === 0, 'and shows nothing of the session');
  await shot(page, 'token-refused');
  await page.unroute(`**/orders/${orderId}`);

  // staff sign in and out the same way
  await signInAsStaff(page, 'Tony Hoare');
  await findOrder(page, orderId);
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await page.locator('body[data-live="live"]').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('body[data-session="none"][data-live="offline"]').waitFor();
  check(await page.locator('li[data-order-id]').count() === 0, 'staff signed out see no order');
  check(await page.getByLabel('Staff member').inputValue() === 'staff', 'the staff form is back to its default');
});
