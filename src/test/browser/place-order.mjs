// A person new to the shop signs in at the identity provider's login page for the first time: the
// page registers them as a customer from the ID token's name and email, and they place an order. It
// shows at once as pending, with the expected total, before the service has answered, and turns
// confirmed when its change arrives. After a reload the page is signed out; signing in again is one
// click (the provider remembers the person) and finds the customer linked already.
import {
  answeredAt, api, check, newPerson, quantity, requestsOf, row, rowShows, rowStates, scenario, signInAs, tokensSentBy,
} from './harness.mjs';

const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** When the page's code had the service's answer to its POST /customers, and which status it was. */
const registrations = (page) => page.evaluate(() => window.__answers.filter((a) => a.method === 'POST' && a.path === '/customers'));

await scenario('place-order', async ({ openTab, shot, log }) => {
  const pen = await api.product('Fountain pen', 45.0);
  const ink = await api.product('Ink bottle', 7.5);
  const grace = await newPerson('Grace Hopper', ['customer']);

  const page = await openTab();
  await page.locator('body[data-session="none"]').waitFor();
  await shot(page, 'signed-out');
  await signInAs(page, grace, 'customer');
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
  const customerId = grace.id;
  log(`signed in and registered customer ${customerId}`);

  const [token] = tokensSentBy(page);
  check(claimsOf(token).sub === customerId, 'the token is the person\'s: its subject is their id at the provider');
  const registration = requestsOf(page).find((r) => r.method === 'POST' && new URL(r.url).pathname === '/customers');
  check(registration?.headers.authorization === `Bearer ${token}`, 'the customer was registered with that token');
  check(JSON.parse(registration.postData ?? 'null')?.email === grace.email
    && JSON.parse(registration.postData).name === grace.name, 'from the name and email the provider knows');
  check((await registrations(page)).map((a) => a.status).join() === '201', 'and the service registered them');
  check(page.url() === `${new URL(page.url()).origin}/`, `the code and state are gone from the address bar: ${page.url()}`);

  await quantity(page, pen).fill('2');
  await quantity(page, ink).fill('3');
  await page.getByLabel('Street').first().fill('221B Baker Street');
  await page.getByLabel('City').first().fill('London');
  await page.getByLabel('Postal code').first().fill('NW1 6XE');
  await page.getByLabel('Country').first().fill('GB');
  check(await page.locator('#place-total').textContent() === '112.50', 'the form shows the expected total');
  await shot(page, 'order-form-filled');

  await page.getByRole('button', { name: 'Place order' }).click();
  const placed = page.locator('li[data-order-id]').first();
  await placed.waitFor();
  const orderId = await placed.getAttribute('data-order-id');
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await page.locator(`li[data-order-id="${orderId}"] [data-role="total"]:text-is("112.50")`).waitFor();
  await shot(page, 'order-confirmed');

  const states = await rowStates(page, orderId);
  log('row states:', JSON.stringify(states.map(({ state, status, version, t }) => ({ state, status, version, t: Math.round(t) }))));
  const first = states[0];
  check(first.state === 'pending' && first.status === 'PLACED' && first.version === 1,
    `the order first shows as pending PLACED v1, was ${JSON.stringify(first)}`);
  const answered = await answeredAt(page, 'POST', '/orders');
  check(answered !== undefined, 'the POST /orders response was timed');
  check(first.t < answered, `pending showed (${first.t.toFixed(1)} ms) before the page had the service's answer (${answered.toFixed(1)} ms)`);
  const confirmedAt = states.find((s) => s.state === 'confirmed');
  check(confirmedAt && confirmedAt.t >= answered,
    'it turned confirmed only after the answer, when the change arrived');
  check(states.every((s) => !s.error), 'no error was shown');

  const details = await api.details(orderId);
  check(details.customer.customerId === customerId && Number(details.total) === 112.5,
    `the service holds the order as shown: ${JSON.stringify(details)}`);
  check(details.shippingAddress.city === 'London' && details.shippingAddress.country === 'GB', 'with the address typed');

  // the token lived in the page's memory only: a reload signs out of the page; the provider still
  // knows the person, so signing in again needs no password, and the customer is linked already (409)
  await page.reload();
  await page.locator('body[data-session="none"]').waitFor();
  await shot(page, 'signed-out-after-reload');
  await signInAs(page, grace, 'customer');
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
  check((await registrations(page)).map((a) => a.status).join() === '409', 'the second sign-in found the customer registered');
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  // the list answers without addresses; each row's details (the address) arrive in a read of their own
  await row(page, orderId).locator('[data-role="address"]:text-is("221B Baker Street, NW1 6XE London, GB")').waitFor()
    .catch(async () => check(false, `the signed-in-again page lists the order with its address, not "${
      await row(page, orderId).locator('[data-role="address"]').textContent()}"`));
  check(tokensSentBy(page).length === 2, 'signing in again brought a new token');
  await shot(page, 'signed-in-again');
});
