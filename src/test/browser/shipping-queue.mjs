// Staff keep the queue of orders awaiting shipment open in one tab while the shipping desk works in
// another: an order confirmed in the desk's tab appears in the queue with its customer and total,
// behind the orders confirmed before it (a page or two further: the tab shows more on request), and
// leaves it once shipped; the queue's tab learns both from its change stream, without reloading.
import {
  TIMEOUT_MS, api, check, findOrder, request, row, rowShows, scenario, signInAsStaff, staffToken, streamTexts, until,
} from './harness.mjs';

/** The queue's row of this order, in the queue's tab. */
const queued = (page, orderId) => page.locator(`#queue tr[data-order-id="${orderId}"]`);

/**
 * Waits until the queue shows the order, asking for more of the queue while it may wait further
 * back; answers how many times it asked.
 */
async function untilQueued(page, orderId) {
  const deadline = Date.now() + TIMEOUT_MS;
  let asked = 0;
  while (await queued(page, orderId).count() === 0) {
    check(Date.now() < deadline, `order ${orderId} appeared in the queue`);
    const more = page.getByRole('button', { name: 'Show more' });
    if (await more.isVisible()) {
      // the button goes when the last page comes, which a change may bring while the click is on its way
      await more.click({ timeout: 2000 }).then(() => { asked++; }, () => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return asked;
}

/** The ids of the orders awaiting shipment now, as staff read them through the API. */
async function queuedIds() {
  const token = await staffToken();
  const ids = [];
  let cursor = null;
  do {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const { body } = await request('GET', `/staff/orders/awaiting-shipment?limit=100${after}`, { token });
    ids.push(...body.items.map((item) => item.orderId));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

await scenario('shipping-queue', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Margaret Hamilton');
  const rope = await api.product('Core rope memory', 75.0);
  const before = [];
  for (let i = 0; i < 2; i++) {
    const { orderId: waiting } = await api.order(customerId, rope, 1);
    await api.confirm(waiting, 1);
    before.push(waiting);
  }
  const { orderId } = await api.order(customerId, rope, 2);
  await until('the orders confirmed first are queued', async () => {
    const ids = await queuedIds();
    return before.every((id) => ids.includes(id));
  });

  const queue = await openTab(undefined, { browser: 'queue-watcher' });
  // the tab's pages a third of the queue long: the order confirmed next waits on the third, behind Show more
  const pageSize = Math.ceil(((await queuedIds()).length + 1) / 3);
  await queue.route(/\/staff\/orders\/awaiting-shipment\?/,
    (route) => route.continue({ url: route.request().url().replace('limit=100', `limit=${pageSize}`) }));
  log(`the queue's tab reads ${pageSize} orders a page`);
  await signInAsStaff(queue, 'Queue watcher');
  await queue.evaluate(() => { window.__sameDocument = true; });
  await queue.getByRole('tab', { name: 'Awaiting shipment' }).click();
  await queue.locator('#queue-panel').waitFor();
  await queue.locator('body[data-live="live"]').waitFor();
  check(await queue.locator('#orders-panel').isHidden(), 'the queue\'s tab shows the queue alone');
  await shot(queue, 'queue-opened');

  const desk = await openTab(undefined, { browser: 'shipping-desk' });
  await signInAsStaff(desk, 'Shipping desk');
  await findOrder(desk, orderId);
  await rowShows(desk, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });
  await desk.locator('body[data-live="live"]').waitFor();
  check(await queued(queue, orderId).count() === 0, 'an order only placed does not await shipment');

  await row(desk, orderId).getByRole('button', { name: 'Confirm' }).click();
  await rowShows(desk, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  check(await untilQueued(queue, orderId) >= 1, 'the order waits beyond the first page, shown on request');
  const shown = await queue.locator('#queue tr[data-order-id]').evaluateAll((rows) => rows.map((r) => r.dataset.orderId));
  check(before.every((id) => shown.indexOf(id) >= 0 && shown.indexOf(id) < shown.indexOf(orderId)),
    'the orders confirmed before it come before it');
  check(await queued(queue, orderId).locator('[data-role="total"]').textContent() === '150.00', 'the queue shows the total');
  check(await queued(queue, orderId).locator('[data-role="customer"]').getAttribute('title') === customerId,
    'the queue names the customer');
  const confirmedTimes = await queue.locator('#queue time').evaluateAll((times) => times.map((t) => Date.parse(t.dateTime)));
  check(confirmedTimes.every((t, i) => i === 0 || confirmedTimes[i - 1] <= t), 'the oldest confirmation comes first');
  check(await queue.locator('#queue tr[data-order-id]').last().getAttribute('data-order-id') === orderId,
    'the order confirmed last waits behind the others');
  await shot(queue, 'queue-shows-confirmed-order');

  await row(desk, orderId).getByRole('button', { name: 'Ship' }).click();
  await rowShows(desk, orderId, { state: 'confirmed', status: 'SHIPPED', version: 3 });
  await queued(queue, orderId).waitFor({ state: 'detached' });
  await shot(queue, 'queue-after-shipment');

  const heard = (await streamTexts(queue)).filter((s) => s.path === '/staff/orders/awaiting-shipment/changes')
    .map((s) => s.text).join('');
  log('queue stream:', heard.split('\n').filter((line) => line.startsWith('event:')).join(' '));
  check(/^event: ?OrderConfirmed$/m.test(heard) && /^event: ?OrderShipped$/m.test(heard) && heard.includes(orderId),
    'the queue learnt of the confirmation and the shipment from its change stream');
  check(await queue.evaluate(() => window.__sameDocument === true), 'the queue\'s tab was never reloaded');

  // from the queue to the order, to ship it there
  const { orderId: next } = await api.order(customerId, rope, 1);
  await api.confirm(next, 1);
  await untilQueued(queue, next);
  await queued(queue, next).getByRole('button', { name: 'Open' }).click();
  await rowShows(queue, next, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  check(await queue.locator('#queue-panel').isHidden(), 'opening a queued order shows it among the orders followed');
  check(await row(queue, next).getByRole('button', { name: 'Ship' }).isEnabled(), 'the opened order can be shipped');
  await queue.locator('body[data-live="live"]').waitFor();
  await shot(queue, 'queued-order-opened');
  for (const tab of [queue, desk]) {
    check(await tab.locator('[data-role="error"]:visible').count() === 0, 'no error is shown');
  }
});
