// Server-sent change streams, read with fetch.
//
// Why fetch and not EventSource: every stream needs the bearer token, and EventSource cannot send
// an Authorization header. The other way out, a short-lived stream ticket in the URL, would put a
// credential where URLs go (the service's and proxies' access logs, the browser's history, Referer
// headers) and need an extra endpoint to issue tickets. fetch sends the header like every other
// call; this module does what EventSource did for us: parse the stream, resume with Last-Event-ID
// and reconnect.
import { refusal } from './api.js';

export const ORDER_EVENTS = ['OrderPlaced', 'ShippingAddressChanged', 'OrderConfirmed', 'OrderShipped', 'OrderCancelled'];
export const PRODUCT_EVENTS = ['ProductAdded', 'ProductPriceChanged', 'ProductDiscontinued'];

/** Reconnection delays: doubling from the first (or the stream's own `retry:`) up to the last, with jitter. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8000;
/** The service sends a comment at least every 15 s: this long without a byte, the connection is dead. */
const IDLE_MS = 45_000;

/**
 * A parser of the text/event-stream format (the WHATWG HTML "server-sent events" rules): lines end
 * with CRLF, LF or CR, also when a chunk boundary splits them; `field: value` lines build an event that a
 * blank line dispatches; lines starting with ':' are comments; `id` persists across events until
 * changed; an event without data is not dispatched; what follows the last blank line is dropped.
 *
 * @param {{lastEventId?: string, onEvent: (e: {type: string, data: string, lastEventId: string}) => void,
 *   onComment?: (text: string) => void, onRetry?: (ms: number) => void}} handlers
 */
export function createEventParser({ lastEventId = '', onEvent, onComment = () => {}, onRetry = () => {} }) {
  let pending = '';
  let type = '';
  let data = [];
  let idBuffer = lastEventId;
  let lastId = lastEventId;

  const dispatch = () => {
    lastId = idBuffer;
    if (data.length > 0) {
      const event = { type: type || 'message', data: data.join('\n'), lastEventId: lastId };
      data = [];
      type = '';
      onEvent(event);
    }
    type = '';
  };

  const line = (text) => {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.startsWith(':')) {
      onComment(text.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      type = value;
    } else if (field === 'data') {
      data.push(value);
    } else if (field === 'id') {
      if (!value.includes('\0')) {
        idBuffer = value;
      }
    } else if (field === 'retry') {
      if (/^[0-9]+$/.test(value)) {
        onRetry(Number(value));
      }
    }
  };

  return {
    /** Feeds decoded text; complete lines are handled at once. */
    push(text) {
      pending += text;
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        if (c !== '\n' && c !== '\r') {
          continue;
        }
        if (c === '\r' && i === pending.length - 1) {
          break; // a CR at the end of a chunk may be the first half of a CRLF
        }
        line(pending.slice(start, i));
        if (c === '\r' && pending[i + 1] === '\n') {
          i++;
        }
        start = i + 1;
      }
      pending = pending.slice(start);
    },
    /** The stream ended: a held CR ends its line; an event without its blank line is dropped. */
    end() {
      if (pending.endsWith('\r')) {
        line(pending.slice(0, -1));
      }
      pending = '';
      data = [];
      type = '';
    },
    /** The id of the last event dispatched: what a reconnection sends as Last-Event-ID. */
    get lastEventId() {
      return lastId;
    },
  };
}

/**
 * Follows one stream from a position: every connection sends the session's Authorization header
 * and, once a position is known, Last-Event-ID (the service resumes after it, or answers
 * `event: reset` when it cannot). When the stream ends or fails it reconnects after a growing
 * delay, from the last id seen; a 401 ends the session, another 4xx ends the following.
 *
 * @param {string} path the stream's path
 * @param {{position?: number|string, types: string[], authorization: () => string|null, onChange: Function,
 *   onReset?: Function, onOpen?: Function, onError?: Function, onRefused?: Function}} options
 * @returns {{close: Function, following: boolean}} following: false once closed or refused (no
 *   connection is made after that)
 */
export function follow(path, {
  position, types, authorization, onChange, onReset = () => {}, onOpen = () => {}, onError = () => {},
  onRefused = () => {},
}) {
  let lastId = position === undefined || position === null ? '' : String(position);
  let closed = false;
  let controller = null;
  let timer = null;
  let failures = 0;
  let firstRetryMs = FIRST_RETRY_MS;
  const wanted = new Set(types);

  const handle = (event) => {
    if (closed) {
      return;
    }
    lastId = event.lastEventId || lastId;
    try {
      if (event.type === 'reset') {
        const reset = JSON.parse(event.data);
        lastId = event.lastEventId || String(reset.position ?? lastId);
        onReset(reset);
      } else if (wanted.has(event.type)) {
        onChange({ type: event.type, ...JSON.parse(event.data) });
      }
    } catch (e) {
      // one event the page cannot use must not end the stream
      console.error(`change stream ${path}: event ${event.type} not handled`, e);
    }
  };

  const reconnectLater = (retryAfterSeconds) => {
    if (closed) {
      return;
    }
    const backoff = Math.min(MAX_RETRY_MS, firstRetryMs * 2 ** failures) * (0.75 + Math.random() / 2);
    failures++;
    const delay = retryAfterSeconds > 0 ? Math.min(retryAfterSeconds * 1000, MAX_RETRY_MS) : backoff;
    timer = setTimeout(connect, delay);
  };

  /** Reads the body until it ends, fails, or stays silent too long (a connection that died unnoticed). */
  const read = async (body) => {
    const parser = createEventParser({ lastEventId: lastId, onEvent: handle, onRetry: (ms) => { firstRetryMs = ms; } });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let idle = setTimeout(() => controller.abort(), IDLE_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || closed) {
          break;
        }
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(), IDLE_MS);
        parser.push(decoder.decode(value, { stream: true }));
      }
      parser.push(decoder.decode());
      parser.end();
    } finally {
      clearTimeout(idle);
      reader.cancel().catch(() => {});
    }
  };

  async function connect() {
    if (closed) {
      return;
    }
    controller = new AbortController();
    const headers = { Accept: 'text/event-stream' };
    const sent = authorization();
    if (sent) {
      headers.Authorization = sent;
    }
    if (lastId !== '') {
      headers['Last-Event-ID'] = lastId;
    }
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store', signal: controller.signal });
    } catch {
      if (!closed) {
        onError();
        reconnectLater();
      }
      return;
    }
    if (closed) {
      return;
    }
    if (!response.ok) {
      const refused = await refusal(response, sent);
      if (closed) {
        return;
      }
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        onError(refused);
        reconnectLater(Number(response.headers.get('Retry-After')));
      } else {
        // a 401 has ended the session already; a 403 or 404 will not change by asking again
        closed = true;
        onRefused(refused);
      }
      return;
    }
    failures = 0;
    onOpen();
    try {
      await read(response.body);
    } catch {
      // the connection failed or was aborted: reconnect below, unless closed
    }
    if (!closed) {
      onError();
      reconnectLater();
    }
  }
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller?.abort();
    },
    get following() {
      return !closed;
    },
  };
}
