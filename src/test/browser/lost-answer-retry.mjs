// Staff confirm an order; the service applies it but its answer is lost on the way back (the
// connection drops): the UI sends the same command again with the same Idempotency-Key and token,
// gets the original answer, and the order is confirmed once.
import { api, check, row, rowShows, rowStates, scenario, staffTab } from './harness.mjs';

await scenario('lost-answer-retry', async ({ openTab, shot, log }) => {
  const customerId = await api.customer('Barbara Liskov');
  const chair = await api.product('Office chair', 120.0);
  const { orderId } = await api.order(customerId, chair, 1);
  await api.orderListed(customerId, orderId, 1);

  const page = await staffTab(openTab, orderId);
  await rowShows(page, orderId, { state: 'confirmed', status: 'PLACED', version: 1 });

  const attempts = [];
  await page.route(`**/orders/${orderId}/confirm`, async (route) => {
    const headers = route.request().headers();
    attempts.push({ key: headers['idempotency-key'], ifMatch: headers['if-match'], authorization: headers.authorization });
    if (attempts.length === 1) {
      // the service does the work; the browser never hears back
      const answer = await route.fetch();
      log(`first attempt reached the service: ${answer.status()} ${await answer.text()}`);
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });

  await row(page, orderId).getByRole('button', { name: 'Confirm' }).click();
  await rowShows(page, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  await shot(page, 'confirmed-after-retry');

  log('attempts:', JSON.stringify(attempts.map(({ key, ifMatch }) => ({ key, ifMatch }))));
  check(attempts.length === 2, `the UI sent the command twice, sent ${attempts.length}`);
  check(attempts[0].key && attempts[0].key === attempts[1].key, 'with the same Idempotency-Key');
  check(attempts.every((a) => a.ifMatch === '"1"'), 'and the same If-Match "1"');
  check(/^Bearer /.test(attempts[0].authorization) && attempts[0].authorization === attempts[1].authorization,
    'and the same token (idempotency keys are kept per caller)');
  const states = await rowStates(page, orderId);
  check(states.some((s) => s.state === 'pending' && s.status === 'CONFIRMED'), 'it showed pending while retrying');
  check(states.every((s) => !s.error), 'and no error');

  const history = await api.history(orderId);
  check(history.map((e) => e.type).join() === 'OrderPlaced,OrderConfirmed',
    `the service confirmed the order once: ${history.map((e) => e.type)}`);
});
