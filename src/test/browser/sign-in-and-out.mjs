// Signing in and out at the identity provider. "Sign in" leads to the provider's own login page (a
// wrong password is refused there), which sends the page back signed in; signing out ends the
// session at the provider too (end_session with the ID token as hint) and comes back signed out, so
// the next sign-in asks for a password again. A token the service refuses (401) returns the page to
// sign-in with a message saying so; the provider's session is left, so signing in again is one click.
// Someone with none of the service's roles is signed out at the provider, told so, and may sign in
// as someone else.
import {
  api, baseUrl, check, findOrder, issuer, newPerson, requestsOf, row, rowShows, scenario, signInAs, signInAsCustomer,
  signInAsStaff, tokensSentBy,
} from './harness.mjs';

/** The same token with another signature: the service's 401 for a token that is not its own. */
const forged = (token) => token.replace(/.{8}$/, (tail) => (tail === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'));

const loginForm = (page) => page.locator('#kc-form-login');
const signedOut = (page) => page.locator('body[data-session="none"][data-live="offline"]');

/** Signs out, and checks that the provider ended its session: with the ID token as hint, back to this page. */
async function signOut(page) {
  const origin = new URL(page.url()).origin;
  const endSession = page.waitForRequest((r) => r.url().startsWith(`${issuer}/protocol/openid-connect/logout?`));
  const back = page.waitForResponse((r) => r.request().isNavigationRequest() && r.url() === `${origin}/`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  const asked = new URL((await endSession).url()).searchParams;
  check(asked.get('id_token_hint')?.split('.').length === 3, 'the page went to the provider\'s end_session with the ID token as hint');
  check(asked.get('post_logout_redirect_uri') === `${origin}/`, 'to come back to this page');
  await back;
  await page.locator('#sign-in-button:not([disabled])').waitFor();
  await signedOut(page).waitFor();
  check(page.url() === `${origin}/`, `back at the page: ${page.url()}`);
}

/** Whether the page's requests since `since` include the provider's login form being sent. */
const loginFormSent = (page, since) => requestsOf(page).slice(since)
  .some((r) => r.method === 'POST' && r.url.startsWith(`${issuer}/login-actions/authenticate`));

await scenario('sign-in-and-out', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Edsger Dijkstra');
  const slate = await api.product('Slate', 3.0);
  const { orderId } = await api.order(customerId, slate, 2);
  await api.orderListed(customerId, orderId, 1);

  const page = await openTab();
  await signedOut(page).waitFor();
  check(await page.locator('#workspace').isHidden(), 'nothing but the sign-in is shown before signing in');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await loginForm(page).waitFor();
  check(page.url().startsWith(`${issuer}/protocol/openid-connect/auth?`), `the provider's login page: ${page.url()}`);
  const asked = new URL(page.url()).searchParams;
  check(asked.get('client_id') === 'ordersvc-web' && asked.get('response_type') === 'code'
    && asked.get('code_challenge_method') === 'S256' && asked.get('code_challenge'), 'for a code, with PKCE');
  await page.locator('#username').fill('edsger-nobody');
  await page.locator('#password').fill('not-the-password');
  await page.locator('#kc-login').click();
  await page.locator('#input-error, .kc-feedback-text, [id^="input-error"]').first().waitFor();
  await shot(page, 'wrong-password-refused-at-the-provider');
  check(tokensSentBy(page).length === 0, 'no token was had');

  await page.goto(`${baseUrl}/`);
  await signInAsCustomer(page, customerId);
  check(!/[?&](code|state)=/.test(page.url()), `the code and state are gone from the address bar: ${page.url()}`);
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await row(page, orderId).locator('[data-role="total"]:text-is("6.00")').waitFor();
  await shot(page, 'signed-in');

  // signing out: here (the token, the orders, the catalog, the streams) and at the provider
  await signOut(page);
  check(await page.locator('li[data-order-id]').count() === 0, 'no order is shown');
  check(await page.locator('#products tr').count() === 0, 'no product is shown');
  check((await page.locator('[data-role="who"]').textContent()) === '', 'no one is named');
  check(await page.locator('#workspace').isHidden() && await page.locator('#sign-out').isHidden(), 'only the sign-in is shown');
  await shot(page, 'signed-out');

  // the provider forgot the person: the password is asked again, and the orders come back
  const signingIn = requestsOf(page).length;
  await signInAsCustomer(page, customerId);
  check(loginFormSent(page, signingIn), 'the provider asked for the password again');
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  check(tokensSentBy(page).length === 2, 'signing in again brought a new token');
  await shot(page, 'signed-in-again');

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
  await signedOut(page).waitFor();
  check(await page.locator('li[data-order-id]').count() === 0, 'and shows nothing of the session');
  await shot(page, 'token-refused');
  await page.unroute(`**/orders/${orderId}`);
  // the provider's session is still there: one click, no password
  const shown = requestsOf(page).length;
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
  check(!loginFormSent(page, shown), 'signed in again without the login form');
  await signOut(page);

  // staff sign in and out the same way
  await signInAsStaff(page, 'Tony Hoare');
  await findOrder(page, orderId);
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await page.locator('body[data-live="live"]').waitFor();
  await signOut(page);
  check(await page.locator('li[data-order-id]').count() === 0, 'staff signed out see no order');

  // a person with none of the service's roles: signed out at the provider, told so, and someone else signs in
  const visitor = await newPerson('Vera Visitor', []);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#username').fill(visitor.username);
  await page.locator('#password').fill(visitor.password);
  await page.locator('#kc-login').click();
  await page.locator('[data-role="sign-in-message"]:has-text("may not use this service")').waitFor();
  await signedOut(page).waitFor();
  check(page.url() === `${baseUrl}/`, `back at the page, the sign-out's state gone from the address bar: ${page.url()}`);
  await shot(page, 'no-role');
  const since = requestsOf(page).length;
  await signInAs(page, await newPerson('Tom Customer', ['customer']), 'customer');
  check(loginFormSent(page, since), 'someone else signed in on the login form');
  await page.locator('body[data-live="live"]').waitFor();
});
