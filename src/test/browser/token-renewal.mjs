// The page renews its access token before it expires, silently, with the refresh token, and its
// change streams go on across the renewal: the connection opened with the first token keeps
// carrying changes, and when the network drops after that token has expired, the stream resumes
// with the renewed token and Last-Event-ID and the customer sees what happened meanwhile, still
// signed in. The web client's tokens live 20 s for this scenario (the realm's admin API; restored after).
import {
  api, baseUrl, check, customerTab, cuttableProxy, realmAdmin, requestsOf, rowShows, scenario, tokensSentBy, until,
} from './harness.mjs';

const LIFESPAN_S = 20;
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** Sets the web client's access-token lifespan (null: the realm's) and answers what it was. */
async function webClientTokensLive(seconds) {
  const [client] = await (await realmAdmin('GET', '/clients?clientId=ordersvc-web')).json();
  const before = client.attributes?.['access.token.lifespan'] ?? null;
  client.attributes = { ...client.attributes, 'access.token.lifespan': seconds === null ? '' : String(seconds) };
  await realmAdmin('PUT', `/clients/${client.id}`, client);
  return before;
}

await scenario('token-renewal', async ({ openTab, shot, log }) => {
  const proxy = await cuttableProxy(baseUrl);
  const customerId = await api.customer('Frances Allen');
  const compiler = await api.product('Compiler manual', 12.0);
  const { orderId } = await api.order(customerId, compiler, 1);
  await api.orderListed(customerId, orderId, 1);

  const before = await webClientTokensLive(LIFESPAN_S);
  try {
    const tab = await customerTab((url, options) => openTab(`${proxy.url}/`, options), customerId);
    await rowShows(tab, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
    const [first] = tokensSentBy(tab);
    const firstClaims = claimsOf(first);
    check(firstClaims.exp - firstClaims.iat <= LIFESPAN_S, `the first token lives ${LIFESPAN_S} s`);
    const stream = `/customers/${customerId}/orders/changes`;
    const connections = () => requestsOf(tab).filter((r) => new URL(r.url).pathname === stream);
    check(connections().length === 1, 'one connection follows the orders');

    // renewed before it expires, by the refresh token, with no sign-in and no new connection
    const renewals = () => requestsOf(tab).filter((r) => r.method === 'POST' && /grant_type=refresh_token/.test(r.postData ?? ''));
    await until('the page renewed its token', async () => renewals().length > 0, (LIFESPAN_S + 10) * 1000);
    const renewedAt = Date.now() / 1000;
    log(`renewed ${(firstClaims.exp - renewedAt).toFixed(1)} s before the first token expired`);
    check(renewedAt < firstClaims.exp, 'the renewal came before the first token expired');
    check(await tab.locator('body[data-session="customer"][data-live="live"]').count() === 1, 'signed in and live all the while');
    check(connections().length === 1, 'the renewal left the stream\'s connection alone');

    // the first token expires; the connection it opened goes on carrying changes
    await until('the first token has expired', async () => Date.now() / 1000 > firstClaims.exp + 1, (LIFESPAN_S + 10) * 1000);
    await api.confirm(orderId, 1);
    await rowShows(tab, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
    check(connections().length === 1, 'the change came on the first connection');
    await shot(tab, 'confirmed-on-the-first-connection');

    // the network drops: the stream resumes with the renewed token and the last id it saw
    proxy.cut();
    await tab.locator('body:not([data-live="live"])').waitFor();
    const { orderId: meanwhile } = await api.order(customerId, compiler, 2);
    await api.orderListed(customerId, meanwhile, 1);
    proxy.restore();
    await tab.locator('body[data-live="live"]').waitFor({ timeout: 30_000 });
    await rowShows(tab, meanwhile, { state: 'confirmed', status: 'PLACED', version: 1 });
    check(await tab.locator('body[data-session="customer"]').count() === 1, 'still signed in');
    const resumed = connections().at(-1);
    const resumedWith = resumed.headers.authorization.replace(/^Bearer /, '');
    check(resumedWith !== first && claimsOf(resumedWith).exp > firstClaims.exp && claimsOf(resumedWith).sub === customerId,
      'the stream resumed with a renewed token of the same person');
    check(/^[0-9]+$/.test(resumed.headers['last-event-id'] ?? ''), 'and with Last-Event-ID');
    const refused = await tab.evaluate(() => window.__answers.filter((a) => a.status === 401).length);
    check(refused === 0, 'the service refused no request of the page');
    log(`${renewals().length} renewals, ${connections().length} connections of the orders stream, `
      + `${tokensSentBy(tab).length} tokens sent`);
    await shot(tab, 'resumed-with-the-renewed-token');
  } finally {
    await webClientTokensLive(before === null ? null : Number(before));
    proxy.close();
  }
});
