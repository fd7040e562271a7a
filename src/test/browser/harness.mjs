// What every browser scenario shares: the system's Chromium driven by playwright-core, data made
// through the service's API, screenshots, and a record of every state an order row went through.
import { chromium } from 'playwright-core';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (WebUiTest sets it)`);
  }
  return value;
};

export const baseUrl = required('UI_BASE_URL').replace(/\/$/, '');
const screenshotRoot = required('UI_SCREENSHOTS');
const profileRoot = required('UI_PROFILE_DIR');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling out to the internet, which is closed here.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const TIMEOUT_MS = 15_000;

const log = (...parts) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...parts);

/** Fails the scenario with a message saying what was expected. */
export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

/** Runs one scenario in a fresh browser profile under target/, saving a screenshot of every step. */
export async function scenario(name, body) {
  const started = Date.now();
  const userDataDir = path.join(profileRoot, name);
  rmSync(userDataDir, { recursive: true, force: true });
  const shots = path.join(screenshotRoot, name);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1000, height: 900 },
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  await context.addInitScript(recordRowStates);
  let step = 0;
  const shot = async (page, label) => {
    const file = path.join(shots, `${String(++step).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot ${file}`);
  };
  const openTab = async (hash = '') => {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && log(`browser console (${name}): ${m.text()}`));
    page.on('pageerror', (e) => log(`page error (${name}): ${e.message}`));
    await page.goto(`${baseUrl}/${hash}`);
    return page;
  };
  try {
    log(`scenario ${name}: Chromium ${context.browser()?.version() ?? ''}`);
    await body({ context, openTab, shot, log });
    log(`scenario ${name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    process.exitCode = 1;
    console.error(`scenario ${name} FAILED: ${error.stack || error}`);
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: path.join(shots, `failure-tab${i + 1}.png`), fullPage: true }).catch(() => {});
      console.error(`--- tab ${i + 1} (${page.url()}) order rows:`);
      console.error(await page.locator('#order-list').innerHTML().catch((e) => String(e)));
    }
  } finally {
    await context.close();
  }
}

/**
 * Runs in every page before its scripts: records each state an order row shows, with the time
 * (performance.now()), so that a state held for less than a frame is seen as surely as a lasting one;
 * and when the page's code got each answer to its requests (the moment it could act on it).
 */
function recordRowStates() {
  window.__answers = [];
  const send = window.fetch;
  window.fetch = (input, init) => send(input, init).then((response) => {
    window.__answers.push({
      method: (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
      path: new URL(input instanceof Request ? input.url : String(input), location.href).pathname,
      t: performance.now(),
    });
    return response;
  });
  window.__rowStates = [];
  const snapshot = (row) => {
    const last = window.__rowStates.filter((s) => s.orderId === row.dataset.orderId).at(-1);
    const s = {
      orderId: row.dataset.orderId, state: row.dataset.state, status: row.dataset.status,
      version: Number(row.dataset.version), error: row.querySelector('[data-role="error"]')?.textContent ?? null,
      t: performance.now(),
    };
    if (!last || last.state !== s.state || last.status !== s.status || last.version !== s.version || last.error !== s.error) {
      window.__rowStates.push(s);
    }
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      for (const node of m.addedNodes) {
        if (node.nodeType === 1 && node.matches('li[data-order-id]')) {
          snapshot(node);
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Every state the page's row of this order went through, oldest first. */
export function rowStates(page, orderId) {
  return page.evaluate((id) => window.__rowStates.filter((s) => s.orderId === id), orderId);
}

/**
 * When (performance.now() of the page) the page's code got the answer to its last request with this
 * method whose path ends so. Not the network's responseEnd: a fast answer can be complete on the wire
 * before the page's own code that sent it has finished its task.
 */
export function answeredAt(page, method, pathEnd) {
  return page.evaluate(([m, end]) => window.__answers
    .filter((a) => a.method === m && a.path.endsWith(end))
    .map((a) => a.t).at(-1), [method, pathEnd]);
}

/** An order row of the page, found by its stable data-order-id. */
/** A product's quantity field in the order form, by product id (names repeat across scenarios). */
export const quantity = (page, productId) => page.locator(`input[name="qty-${productId}"]`);

export const row = (page, orderId) => page.locator(`li[data-order-id="${orderId}"]`);

/** Waits until the order's row shows this state, status and version. */
export async function rowShows(page, orderId, { state, status, version }) {
  let selector = `li[data-order-id="${orderId}"]`;
  if (state) selector += `[data-state="${state}"]`;
  if (status) selector += `[data-status="${status}"]`;
  if (version) selector += `[data-version="${version}"]`;
  await page.locator(selector).waitFor();
}

// --- data through the service's API ---------------------------------------------------------

async function post(urlPath, body, headers = {}) {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST ${urlPath} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

const suffix = () => crypto.randomUUID().slice(0, 8);

export const api = {
  customer: async (name) => (await post('/customers', { name, email: `ui-${suffix()}@example.com` })).customerId,
  // the UI lists the first 100 products by sku; "A-UI-" sorts before the "SKU-" products of other tests
  async product(name, unitPrice) {
    const { productId } = await post('/products', { sku: `A-UI-${suffix()}`, name, unitPrice });
    await until(`product ${productId} is listed in the catalog`, async () =>
      (await (await fetch(`${baseUrl}/products?limit=100`)).json()).items.some((p) => p.productId === productId));
    return productId;
  },
  order: (customerId, productId, quantity) => post('/orders', {
    customerId,
    shippingAddress: { line1: '1 Harbour Street', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    lines: [{ productId, quantity }],
  }),
  changePrice: (productId, unitPrice) => post(`/products/${productId}/price`, { unitPrice }),
  discontinue: (productId) => post(`/products/${productId}/discontinue`),
  confirm: (orderId, version) => post(`/orders/${orderId}/confirm`, undefined, { 'If-Match': `"${version}"` }),
  /** Waits until the customer's list shows the order at this version: the projection caught up. */
  orderListed: (customerId, orderId, version) => until(`order ${orderId} is listed at version ${version}`, async () => {
    const page = await (await fetch(`${baseUrl}/customers/${customerId}/orders?limit=50`)).json();
    return page.items.some((o) => o.orderId === orderId && o.version >= version);
  }),
};

/**
 * A customer with one confirmed order (version 2), open in two tabs that both show it confirmed:
 * the start of every scenario where two tabs act on the same order.
 */
export async function confirmedOrderInTwoTabs(openTab, customerName, productName, unitPrice) {
  const customerId = await api.customer(customerName);
  const productId = await api.product(productName, unitPrice);
  const { orderId } = await api.order(customerId, productId, 1);
  await api.confirm(orderId, 1);
  await api.orderListed(customerId, orderId, 2);
  const tabA = await openTab(`#customer=${customerId}`);
  const tabB = await openTab(`#customer=${customerId}`);
  for (const tab of [tabA, tabB]) {
    await rowShows(tab, orderId, { state: 'confirmed', status: 'CONFIRMED', version: 2 });
  }
  return { customerId, orderId, tabA, tabB };
}

/** Polls the service until the condition holds (the read side follows the write side shortly). */
export async function until(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
