// A signed-in tab loses its connection while more changes happen than the service keeps for a
// resume: when it is back, its stream reader reconnects with the token and Last-Event-ID, the
// service answers with a reset, and the tab refetches the list instead of showing a partial one. The tab reaches the service through a proxy that this
// scenario cuts (its open connections dropped, new ones refused) and restores: a network outage.
import {
  api, baseUrl, check, cuttableProxy, requestsOf, rowShows, scenario, signInAsCustomer, streamTexts,
} from './harness.mjs';

await scenario('reset-after-absence', async ({ openTab, shot, log }) => {
  const proxy = await cuttableProxy(baseUrl);
  const customerId = await api.customer('Barbara Liskov');
  const stamp = await api.product('Stamp', 1.5);
  const { orderId: first } = await api.order(customerId, stamp, 1);
  await api.orderListed(customerId, first, 1);

  const tab = await openTab(`${proxy.url}/`);
  await signInAsCustomer(tab, customerId);
  await rowShows(tab, first, { state: 'confirmed', status: 'PLACED', version: 1 });

  proxy.cut();
  await tab.locator('body:not([data-live="live"])').waitFor();
  log(`offline: ${await tab.locator('body').getAttribute('data-live')}`);
  await shot(tab, 'offline');

  // the tests keep 20 changes per stream: 11 orders placed (by the customer) and confirmed (by
  // staff) elsewhere make 22
  const placed = [];
  for (let i = 0; i < 11; i++) {
    const { orderId } = await api.order(customerId, stamp, 1);
    await api.confirm(orderId, 1);
    placed.push(orderId);
  }
  await api.orderListed(customerId, placed[placed.length - 1], 2);

  proxy.restore();
  await tab.locator('body[data-live="live"]').waitFor({ timeout: 30_000 });
  for (const orderId of placed) {
    await rowShows(tab, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  }
  await rowShows(tab, first, { state: 'confirmed', status: 'PLACED', version: 1 });
  check(await tab.locator('li[data-order-id]').count() === 12, 'the tab shows all 12 orders after the reset');
  check(await tab.locator('body[data-session="customer"]').count() === 1, 'and is still signed in');
  const resumes = requestsOf(tab).filter((r) => new URL(r.url).pathname === `/customers/${customerId}/orders/changes`);
  log(`connections of the orders stream: ${resumes.length}`);
  check(resumes.length >= 2 && resumes.slice(1).every((r) => /^[0-9]+$/.test(r.headers['last-event-id'] || '')
    && /^Bearer /.test(r.headers.authorization || '')), 'every reconnection sent Last-Event-ID and the token');
  const streams = (await streamTexts(tab)).filter((s) => s.path === `/customers/${customerId}/orders/changes`);
  check(streams.some((s) => /^event: ?reset$/m.test(s.text)), 'the service answered the resume with a reset');
  await shot(tab, 'back-online-after-reset');
  proxy.close();
});
