// The UI's change-stream reader alone, in Node: the event-stream format, and how it follows a
// stream over fetch (token and Last-Event-ID on every connection, reconnects, reset, refusals)
// against a small local server.
// Run from target/browser, where WebUiTest copies the scenarios, so the path climbs to the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createEventParser, follow } from '../../src/main/resources/META-INF/resources/js/changes.js';

function parse(chunks, lastEventId) {
  const events = [];
  const comments = [];
  const retries = [];
  const parser = createEventParser({
    lastEventId, onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms),
  });
  chunks.forEach((chunk) => parser.push(chunk));
  parser.end();
  return { events, comments, retries, lastEventId: parser.lastEventId };
}

test('events carry their id, type and data; comments are told apart', () => {
  const { events, comments } = parse([
    ': heartbeat\n\n',
    'id: 7\nevent: OrderPlaced\ndata: {"orderId":"o1","version":1}\n\n',
    'id:8\nevent:OrderConfirmed\ndata:{"version":2}\n\n',
  ]);
  assert.deepEqual(events, [
    { type: 'OrderPlaced', data: '{"orderId":"o1","version":1}', lastEventId: '7' },
    { type: 'OrderConfirmed', data: '{"version":2}', lastEventId: '8' },
  ]);
  assert.deepEqual(comments, ['heartbeat']);
});

test('lines end with LF, CRLF or CR, also split across chunks, a CRLF too', () => {
  const text = 'id: 1\r\nevent: a\r\ndata: x\r\n\r\nid: 2\revent: b\rdata: y\r\rid: 3\nevent: c\ndata: z\n\n';
  const expected = [
    { type: 'a', data: 'x', lastEventId: '1' },
    { type: 'b', data: 'y', lastEventId: '2' },
    { type: 'c', data: 'z', lastEventId: '3' },
  ];
  assert.deepEqual(parse([text]).events, expected);
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(parse([text.slice(0, cut), text.slice(cut)]).events, expected, `cut at ${cut}`);
  }
  assert.deepEqual(parse([...text]).events, expected, 'one character at a time');
});

test('data lines join with newlines; a value loses one leading space only; an event without a type is a message', () => {
  const { events } = parse(['data: first\ndata:  second\ndata\n\n']);
  assert.deepEqual(events, [{ type: 'message', data: 'first\n second\n', lastEventId: '' }]);
});

test('the id persists until changed, and an event without data is not dispatched but moves the id', () => {
  const { events, lastEventId } = parse(['id: 4\nevent: a\ndata: 1\n\n', 'event: b\ndata: 2\n\n', 'id: 9\n\n'], '3');
  assert.deepEqual(events.map((e) => e.lastEventId), ['4', '4']);
  assert.equal(lastEventId, '9');
});

test('an event cut off by the end of the stream is dropped; retry and unknown fields are read or ignored', () => {
  const { events, retries, lastEventId } = parse(['retry: 250\nfoo: bar\nid: 5\nevent: a\ndata: 1\n\nid: 6\ndata: cut'], '1');
  assert.deepEqual(events.map((e) => e.data), ['1']);
  assert.deepEqual(retries, [250]);
  assert.equal(lastEventId, '5', 'the id of the dropped event is not kept');
});

/** A stream server that answers each connection with the next of these handlers, and records the requests. */
async function streamServer(...handlers) {
  const requests = [];
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url, headers: request.headers });
    const handler = handlers[Math.min(requests.length, handlers.length) - 1];
    handler(request, response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/changes`, requests, close: () => server.close() };
}

const sse = (response, text, { end = true } = {}) => {
  response.writeHead(200, { 'Content-Type': 'text/event-stream' });
  response.write(text);
  if (end) {
    response.end();
  }
};

function until(condition) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => (condition() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(poll, 10));
    poll();
  });
}

test('every connection sends the token and Last-Event-ID; an ended stream is resumed from the last id', async () => {
  let token = 'first';
  const server = await streamServer(
    (q, r) => sse(r, 'retry: 20\n\nid: 11\nevent: OrderPlaced\ndata: {"orderId":"a","version":1}\n\n'
      + 'id: 12\nevent: ProductAdded\ndata: {}\n\n'),
    (q, r) => sse(r, ': hello\n\nid: 13\nevent: OrderConfirmed\ndata: {"orderId":"a","version":2}\n\n', { end: false }),
  );
  const changes = [];
  let opened = 0;
  const stream = follow(server.url, {
    position: 10, types: ['OrderPlaced', 'OrderConfirmed'], authorization: () => `Bearer ${token}`,
    onChange: (c) => { changes.push(c); token = 'second'; }, onOpen: () => opened++,
  });
  await until(() => changes.length === 2);
  stream.close();
  server.close();
  assert.deepEqual(changes, [
    { type: 'OrderPlaced', orderId: 'a', version: 1 },
    { type: 'OrderConfirmed', orderId: 'a', version: 2 },
  ], 'events of other types are not handed on');
  assert.equal(opened, 2);
  assert.deepEqual(server.requests.map((r) => [r.url, r.headers.authorization, r.headers['last-event-id']]), [
    ['/changes', 'Bearer first', '10'],
    ['/changes', 'Bearer second', '12'],
  ], 'the position is a header, never in the URL; the token is the session\'s at each connection');
});

test('a reset hands its data on and the stream goes on from its position', async () => {
  const server = await streamServer(
    (q, r) => sse(r, 'retry: 20\n\nid: 40\nevent: reset\ndata: {"position":40,"reason":"behind"}\n\n'),
    (q, r) => sse(r, '', { end: false }),
  );
  const resets = [];
  const stream = follow(server.url, {
    position: 3, types: [], authorization: () => 'Bearer t', onChange: () => {}, onReset: (reset) => resets.push(reset),
  });
  await until(() => server.requests.length === 2);
  stream.close();
  server.close();
  assert.deepEqual(resets, [{ position: 40, reason: 'behind' }]);
  assert.equal(server.requests[1].headers['last-event-id'], '40');
});

test('a 503 is retried after its Retry-After; a 401 or 404 ends the following, with the refusal', async () => {
  const problem = (status) => (q, r) => {
    r.writeHead(status, { 'Content-Type': 'application/problem+json', ...(status === 503 ? { 'Retry-After': '1' } : {}) });
    r.end(JSON.stringify({ status, title: 'no', detail: `refused with ${status}` }));
  };
  for (const status of [401, 404]) {
    const server = await streamServer(problem(503), problem(status));
    const refusals = [];
    const errors = [];
    const stream = follow(server.url, {
      types: [], authorization: () => 'Bearer t', onChange: () => {}, onError: (e) => errors.push(e?.status),
      onRefused: (refused) => refusals.push(refused),
    });
    await until(() => refusals.length === 1);
    assert.equal(refusals[0].status, status);
    assert.equal(refusals[0].message, `refused with ${status}`);
    assert.deepEqual(errors, [503]);
    assert.equal(server.requests[0].headers['last-event-id'], undefined, 'no position yet, no Last-Event-ID');
    assert.equal(server.requests.length, 2, 'asked once more after the 503');
    assert.equal(stream.following, false, 'and no more after the refusal (a closed stream never connects again)');
    stream.close();
    server.close();
  }
});

test('a connection that fails is tried again, and close stops it for good', async () => {
  const server = await streamServer(
    (q, r) => { r.writeHead(200, { 'Content-Type': 'text/event-stream' }); r.write('retry: 20\n\nid: 1\n'); r.destroy(); },
    (q, r) => sse(r, 'id: 2\nevent: OrderShipped\ndata: {"version":3}\n\n', { end: false }),
  );
  const changes = [];
  const stream = follow(server.url, {
    types: ['OrderShipped'], authorization: () => null, onChange: (c) => changes.push(c),
  });
  await until(() => changes.length === 1);
  assert.equal(stream.following, true);
  stream.close();
  assert.equal(stream.following, false);
  server.close();
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1].headers.authorization, undefined, 'no session, no header');
  assert.equal(server.requests[1].headers['last-event-id'], undefined, 'the cut-off event moved no id');
});
