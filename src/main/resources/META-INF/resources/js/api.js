// The service's HTTP API. Every call carries the session's bearer token (a 401 ends the session);
// commands carry an Idempotency-Key (the same one on every retry of one action) and, on an existing
// order, If-Match with the version the UI shows.
import { session } from './session.js';

/** A refusal by the service: its problem+json body, kept for the UI to show. */
export class Refused extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const RETRY_DELAYS_MS = [300, 1000, 2500];

/** The refusal a response that is not ok stands for; a 401 also ends the session that sent it. */
export async function refusal(response, authorization) {
  let problem;
  try {
    problem = await response.json();
  } catch {
    problem = { title: `HTTP ${response.status}` };
  }
  if (response.status === 401) {
    session.refusedBy(authorization);
  }
  return new Refused(response.status, problem);
}

/** The headers every call sends: the session's token, when there is one. */
function authorized(headers) {
  const authorization = session.authorization();
  return authorization ? { ...headers, Authorization: authorization } : headers;
}

async function getJson(path, headers = {}) {
  const sent = authorized({ Accept: 'application/json', ...headers });
  const response = await fetch(path, { headers: sent });
  if (!response.ok) {
    throw await refusal(response, sent.Authorization);
  }
  return response.json();
}

/** Whether sending the same request again may succeed: the network failed, or the service asked to come back. */
function transient(status) {
  return status === 502 || status === 503 || status === 504;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one command. A network error or a 502/503/504 is retried with the same key, so the
 * service applies the action at most once; a 4xx is a Refused.
 */
async function command(method, path, body, { version } = {}) {
  const key = crypto.randomUUID();
  const headers = authorized({ 'Content-Type': 'application/json', 'Idempotency-Key': key });
  if (version !== undefined) {
    headers['If-Match'] = `"${version}"`;
  }
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (networkError) {
      if (attempt >= RETRY_DELAYS_MS.length) {
        throw new Refused(0, { title: 'Network error', detail: `the service could not be reached (${networkError.message})` });
      }
      await wait(RETRY_DELAYS_MS[attempt]);
      continue;
    }
    if (response.ok) {
      return response.json();
    }
    if (transient(response.status) && attempt < RETRY_DELAYS_MS.length) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      await wait(retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : RETRY_DELAYS_MS[attempt]);
      continue;
    }
    throw await refusal(response, headers.Authorization);
  }
}

export const api = {
  /** Registers the signed-in customer (the token's subject is its id); 409 when it is registered already. */
  registerCustomer: (name, email) => command('POST', '/customers', { name, email }),
  customerOrders: (customerId) => getJson(`/customers/${customerId}/orders?limit=50`),
  /** Staff's queue of orders awaiting shipment, the longest waiting first: a page, the first or the one after `cursor`. */
  awaitingShipment: (cursor) => getJson(`/staff/orders/awaiting-shipment?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  products: () => getJson('/products?limit=100'),
  product: (productId) => getJson(`/products/${productId}`),
  /** The order's details, never older than minVersion (read-your-writes). */
  order: (orderId, minVersion) => getJson(`/orders/${orderId}`, minVersion ? { 'X-Min-Version': String(minVersion) } : {}),

  placeOrder: (order) => command('POST', '/orders', order),
  changeAddress: (orderId, version, address) =>
    command('PUT', `/orders/${orderId}/shipping-address`, address, { version }),
  confirm: (orderId, version) => command('POST', `/orders/${orderId}/confirm`, undefined, { version }),
  ship: (orderId, version) => command('POST', `/orders/${orderId}/ship`, undefined, { version }),
  cancel: (orderId, version, reason) => command('POST', `/orders/${orderId}/cancel`, { reason }, { version }),
};
