// What every browser scenario shares: the system's Chromium driven by playwright-core, signing in
// through the page and the identity provider's own login page, people made through the provider's
// admin API and data through the service's API with their tokens (the dev realm's password grant),
// screenshots, a record of every state an order row went through, and of every request a page sent.
import { chromium } from 'playwright-core';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (WebUiTest sets it)`);
  }
  return value;
};

export const baseUrl = required('UI_BASE_URL').replace(/\/$/, '');
/** The realm's issuer, its admin (of the master realm) and the client for scripts, from WebUiTest. */
export const issuer = required('OIDC_ISSUER').replace(/\/$/, '');
const adminUser = required('OIDC_ADMIN_USER');
const adminPassword = required('OIDC_ADMIN_PASSWORD');
const scriptClient = required('OIDC_SCRIPT_CLIENT');
const [providerBase, realm] = issuer.split('/realms/');
/** The provider's client for the web UI (GET /ui/settings names it). */
const webClient = 'ordersvc-web';
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

/**
 * Runs one scenario in fresh browser profiles under target/, saving a screenshot of every step. Each
 * person uses a browser of their own (`openTab(url, {browser})`, 'main' unless named), as people do:
 * one browser's tabs share its cookies, so the provider signs a second tab in as the first one's person.
 */
export async function scenario(name, body) {
  const started = Date.now();
  const shots = path.join(screenshotRoot, name);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });

  const browsers = new Map();
  const browserNamed = async (browser) => {
    if (!browsers.has(browser)) {
      const userDataDir = path.join(profileRoot, name, browser.replace(/[^A-Za-z0-9-]+/g, '-'));
      rmSync(userDataDir, { recursive: true, force: true });
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1000, height: 900 },
      });
      context.setDefaultTimeout(TIMEOUT_MS);
      await context.addInitScript(recordRowStates);
      browsers.set(browser, context);
    }
    return browsers.get(browser);
  };
  const pages = () => [...browsers.values()].flatMap((context) => context.pages());
  let step = 0;
  const shot = async (page, label) => {
    const file = path.join(shots, `${String(++step).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot ${file}`);
  };
  const openTab = async (url = `${baseUrl}/`, { browser = 'main' } = {}) => {
    const page = await (await browserNamed(browser)).newPage();
    page.on('console', (m) => m.type() === 'error' && log(`browser console (${name}): ${m.text()}`));
    page.on('pageerror', (e) => log(`page error (${name}): ${e.message}`));
    recordRequests(page);
    await page.goto(url);
    return page;
  };
  try {
    await allowOrigin(new URL(baseUrl).origin);
    const main = await browserNamed('main');
    log(`scenario ${name}: Chromium ${main.browser()?.version() ?? ''}`);
    await body({ openTab, shot, log });
    for (const page of pages()) {
      await tokensKeptInMemoryOnly(page);
    }
    log(`scenario ${name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    process.exitCode = 1;
    console.error(`scenario ${name} FAILED: ${error.stack || error}`);
    for (const [i, page] of pages().entries()) {
      if (!page.url().startsWith('http')) {
        continue;
      }
      await page.screenshot({ path: path.join(shots, `failure-tab${i + 1}.png`), fullPage: true }).catch(() => {});
      console.error(`--- tab ${i + 1} (${page.url()}) order rows:`);
      console.error(await page.locator('#order-list').innerHTML().catch((e) => String(e)));
    }
  } finally {
    for (const context of browsers.values()) {
      await context.close();
    }
  }
}

/**
 * Runs in every page before its scripts: records each state an order row shows, with the time
 * (performance.now()), so that a state held for less than a frame is seen as surely as a lasting one;
 * and when the page's code got each answer to its requests (the moment it could act on it).
 */
function recordRowStates() {
  window.__answers = [];
  window.__streams = [];
  const send = window.fetch;
  const keepText = async (response, entry) => {
    const reader = response.clone().body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        entry.text += decoder.decode(value, { stream: true });
      }
    } catch {
      // the page closed the stream, or the network dropped it
    }
  };
  window.fetch = (input, init) => send(input, init).then((response) => {
    const path = new URL(input instanceof Request ? input.url : String(input), location.href).pathname;
    window.__answers.push({
      method: (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(), path, t: performance.now(),
      status: response.status,
    });
    if ((response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
      const entry = { path, text: '' };
      window.__streams.push(entry);
      keepText(response, entry);
    }
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

/** Everything the page has read so far from its change streams, with each stream's path. */
export function streamTexts(page) {
  return page.evaluate(() => window.__streams.map(({ path, text }) => ({ path, text })));
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

/** A product's quantity field in the order form, by product id (names repeat across scenarios). */
export const quantity = (page, productId) => page.locator(`input[name="qty-${productId}"]`);

/** An order row of the page, found by its stable data-order-id. */
export const row = (page, orderId) => page.locator(`li[data-order-id="${orderId}"]`);

/** Waits until the order's row shows this state, status and version. */
export async function rowShows(page, orderId, { state, status, version }) {
  let selector = `li[data-order-id="${orderId}"]`;
  if (state) selector += `[data-state="${state}"]`;
  if (status) selector += `[data-status="${status}"]`;
  if (version) selector += `[data-version="${version}"]`;
  await page.locator(selector).waitFor();
}

// --- requests the pages send, and where their tokens are (not) kept ------------------------------

const requests = new WeakMap();
const issuedTokens = new WeakMap();

/** Keeps every request the page sends, and every token the provider's token endpoint gives it. */
function recordRequests(page) {
  const sent = [];
  const issued = [];
  requests.set(page, sent);
  issuedTokens.set(page, issued);
  page.on('request', (request) => sent.push({
    method: request.method(), url: request.url(), headers: request.headers(), postData: request.postData(),
  }));
  page.on('response', async (response) => {
    if (response.request().method() === 'POST' && response.url().startsWith(`${issuer}/protocol/openid-connect/token`)) {
      const answer = await response.json().catch(() => ({}));
      issued.push(...['access_token', 'refresh_token', 'id_token'].filter((kind) => answer[kind])
        .map((kind) => ({ kind, token: answer[kind] })));
    }
  });
}

/** Every request this page sent, oldest first, with its headers. */
export function requestsOf(page) {
  return requests.get(page) ?? [];
}

/** The service's own files, and the settings the page reads before anyone signs in: sent without a token. */
const isOpen = (url) => /^\/(|index\.html|style\.css|favicon\.ico|js\/[a-z]+\.js|js\/vendor\/[a-z-]+\.js|ui\/settings)$/
  .test(url.pathname);

/** The bearer tokens this page has sent, newest last. */
export function tokensSentBy(page) {
  return [...new Set(requestsOf(page).map((r) => r.headers.authorization).filter(Boolean)
    .map((header) => header.replace(/^Bearer /, '')))];
}

/**
 * The page keeps its tokens in memory only: none it sent or got from the provider (access, refresh
 * and ID tokens) is in localStorage, sessionStorage, a cookie, IndexedDB or any URL the page
 * requested or shows, but for the ID token in the provider's end_session URL; and every call to the service's API carried one (all but its static files and
 * the UI's settings). Checked at the end of every scenario.
 */
export async function tokensKeptInMemoryOnly(page) {
  if (page.isClosed() || !page.url().startsWith('http')) {
    return; // the blank page a persistent context opens with
  }
  const sent = requestsOf(page);
  const tokens = [...tokensSentBy(page).map((token) => ({ kind: 'access_token', token })), ...(issuedTokens.get(page) ?? [])];
  for (const request of sent) {
    const url = new URL(request.url);
    if (url.origin !== new URL(baseUrl).origin || isOpen(url)) {
      continue; // the provider's pages and endpoints, or the service's open files
    }
    check(/^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(request.headers.authorization || ''),
      `${request.method} ${url.pathname} was sent with a bearer token`);
  }
  const stored = await page.evaluate(async () => {
    const entries = (storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`);
    const databases = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    return { local: entries(localStorage), session: entries(sessionStorage), cookie: document.cookie, databases, href: location.href };
  });
  const cookies = await page.context().cookies();
  // the ID token goes to the provider's end_session endpoint as id_token_hint, in its URL as OIDC
  // RP-initiated logout has it; nowhere else, and no other token in any URL
  const endSession = `${issuer}/protocol/openid-connect/logout?`;
  const places = (kind) => [
    ['localStorage', stored.local.join('\n')],
    ['sessionStorage', stored.session.join('\n')],
    ['document.cookie', stored.cookie],
    ['the browser\'s cookies', cookies.map((c) => `${c.name}=${c.value}`).join('\n')],
    ['the page\'s URL', stored.href],
    ['a request URL', sent.map((r) => r.url).filter((url) => kind !== 'id_token' || !url.startsWith(endSession)).join('\n')],
  ];
  for (const { kind, token } of tokens) {
    // a token's signature alone would do as well as the whole of it
    const signature = token.split('.').at(-1);
    for (const [place, text] of places(kind)) {
      check(!text.includes(token) && !text.includes(signature), `no ${kind} is kept in ${place}`);
    }
  }
  check(stored.databases.length === 0, `the page made no IndexedDB database: ${stored.databases}`);
}

// --- signing in through the page and the provider's login page ----------------------------------

/**
 * Signs the page in as this person: "Sign in", then the provider's own login page, filled in as a
 * person would, unless the provider knows this browser's person already (then it sends the page back
 * signed in at once). Waits until the page names the person with this role.
 */
export async function signInAs(page, person, role) {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const loginForm = page.locator('#kc-form-login');
  await loginForm.or(page.locator(`body[data-session="${role}"]`)).first().waitFor();
  if (await loginForm.isVisible()) {
    check(page.url().startsWith(`${issuer}/`), `the login page is the provider's own (${page.url()})`);
    await page.locator('#username').fill(person.username);
    await page.locator('#password').fill(person.password);
    await page.locator('#kc-login').click();
  }
  await page.locator(`body[data-session="${role}"]`).waitFor();
  const who = await page.locator('[data-role="who"]').textContent();
  check(who.includes(person.name), `the page names ${person.name} (it says "${who}")`);
}

/** Signs the page in as this existing customer, and waits until it follows its orders. */
export async function signInAsCustomer(page, customerId) {
  await signInAs(page, personOf(customerId), 'customer');
  await page.locator('body[data-session="customer"][data-live="live"]').waitFor();
}

/** Signs the page in as a staff member of this name (one person per name); then it follows nothing until it looks an order up. */
export async function signInAsStaff(page, name = 'Sam Warehouse') {
  await signInAs(page, await staffMember(name), 'staff');
}

/** Types an order's id into the page's "Find an order" form. */
export async function findOrder(page, orderId) {
  await page.getByLabel('Order id').fill(orderId);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
}

/** A new tab signed in as this customer, in the customer's own browser. */
export async function customerTab(openTab, customerId) {
  const tab = await openTab(undefined, { browser: `customer-${customerId}` });
  await signInAsCustomer(tab, customerId);
  return tab;
}

/** A new tab in staff's browser signed in as staff, following these orders (each shown confirmed, its stream live). */
export async function staffTab(openTab, ...orderIds) {
  const tab = await openTab(undefined, { browser: 'staff' });
  await signInAsStaff(tab);
  for (const orderId of orderIds) {
    await findOrder(tab, orderId);
    await rowShows(tab, orderId, { state: 'confirmed' });
  }
  if (orderIds.length > 0) {
    await tab.locator('body[data-live="live"]').waitFor();
  }
  return tab;
}

// --- people, through the provider's admin API; their tokens, by the dev realm's password grant ----

/** A token answer of the provider's token endpoint (the password grant), as JSON. */
async function passwordGrant(realmName, clientId, username, password) {
  const response = await fetch(`${providerBase}/realms/${realmName}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password }),
  });
  check(response.ok, `the provider gave ${username} of ${realmName} no token: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

let adminToken = null;

/** A call to the realm's admin API (`path` under /admin/realms/REALM), as the stack's administrator. */
export async function realmAdmin(method, adminPath, body) {
  if (!adminToken || Date.now() > adminToken.until) {
    const answer = await passwordGrant('master', 'admin-cli', adminUser, adminPassword);
    adminToken = { token: answer.access_token, until: Date.now() + (answer.expires_in * 1000) / 2 };
  }
  const response = await fetch(`${providerBase}/admin/realms/${realm}${adminPath}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  check(response.ok, `${method} ${adminPath} of the realm answered ${response.status}: ${await response.clone().text()}`);
  return response;
}

/**
 * A new person of the realm with these realm roles: {id (its subject), username, password, name}.
 * `name` is a first and a last name, which the provider's ID token carries as `name`.
 */
export async function newPerson(name, roles) {
  const username = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${suffix()}`;
  const password = crypto.randomUUID();
  const [firstName, ...rest] = name.split(' ');
  const created = await realmAdmin('POST', '/users', {
    username, email: `${username}@example.com`, firstName, lastName: rest.join(' ') || 'Test', enabled: true,
    emailVerified: true, credentials: [{ type: 'password', value: password, temporary: false }],
  });
  const id = created.headers.get('Location').split('/').at(-1);
  if (roles.length > 0) {
    const mappings = await Promise.all(roles.map(async (role) => (await realmAdmin('GET', `/roles/${role}`)).json()));
    await realmAdmin('POST', `/users/${id}/role-mappings/realm`, mappings);
  }
  return { id, username, password, name: rest.length > 0 ? name : `${name} Test`, email: `${username}@example.com` };
}

/**
 * Lets pages of this origin call the provider's token endpoint (CORS): the web client's web origins
 * name the UI's origins, and the tests' ports are new each run.
 */
export async function allowOrigin(origin) {
  const [client] = await (await realmAdmin('GET', `/clients?clientId=${webClient}`)).json();
  if (!client.webOrigins.includes(origin)) {
    await realmAdmin('PUT', `/clients/${client.id}`, { ...client, webOrigins: [...client.webOrigins, origin] });
  }
}

const people = new Map();
const staffByName = new Map();
const tokens = new Map();

/** The person behind a customer id the harness made. */
function personOf(customerId) {
  const person = people.get(customerId);
  check(person, `customer ${customerId} was made by this harness`);
  return person;
}

async function staffMember(name) {
  if (!staffByName.has(name)) {
    staffByName.set(name, await newPerson(name, ['staff']));
  }
  return staffByName.get(name);
}

/** An access token of this person, by the password grant of the client for scripts; a new one when half its life is gone. */
export async function tokenOf(person) {
  const known = tokens.get(person.username);
  if (known && Date.now() < known.until) {
    return known.token;
  }
  const answer = await passwordGrant(realm, scriptClient, person.username, person.password);
  tokens.set(person.username, { token: answer.access_token, until: Date.now() + (answer.expires_in * 1000) / 2 });
  return answer.access_token;
}

const customerToken = (customerId) => tokenOf(personOf(customerId));
/** A token of the realm's seeded staff member. */
export const staffToken = () => tokenOf({ username: 'staff', password: 'staff' });
const staff = staffToken;

/** Sends a request as this token's holder (null: none) and answers {status, body}. */
export async function request(method, urlPath, { token = null, body, headers = {} } = {}) {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'Idempotency-Key': crypto.randomUUID() }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    // an event stream that answered 200 would never end: this bounds the wait for its body
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: parsed };
}

async function expectOk(method, urlPath, options) {
  const answer = await request(method, urlPath, options);
  if (answer.status >= 300) {
    throw new Error(`${method} ${urlPath} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

const suffix = () => crypto.randomUUID().slice(0, 8);

export const api = {
  /** A new person of the realm, registered as a customer by itself: answers its customer id (its subject). */
  async customer(name) {
    const person = await newPerson(name, ['customer']);
    people.set(person.id, person);
    await expectOk('POST', '/customers', { token: await tokenOf(person), body: { name: person.name, email: person.email } });
    return person.id;
  },
  // the UI lists the first 100 products by sku; "A-UI-" sorts before the "SKU-" products of other tests
  async product(name, unitPrice) {
    const token = await staff();
    const { productId } = await expectOk('POST', '/products', { token, body: { sku: `A-UI-${suffix()}`, name, unitPrice } });
    await until(`product ${productId} is listed in the catalog`, async () =>
      (await expectOk('GET', '/products?limit=100', { token })).items.some((p) => p.productId === productId));
    return productId;
  },
  /** An order placed by the customer itself. */
  order: async (customerId, productId, quantity) => expectOk('POST', '/orders', {
    token: await customerToken(customerId),
    body: {
      customerId,
      shippingAddress: { line1: '1 Harbour Street', city: 'Hamburg', postalCode: '20457', country: 'DE' },
      lines: [{ productId, quantity }],
    },
  }),
  changePrice: async (productId, unitPrice) => expectOk('POST', `/products/${productId}/price`,
    { token: await staff(), body: { unitPrice } }),
  discontinue: async (productId) => expectOk('POST', `/products/${productId}/discontinue`, { token: await staff() }),
  /** Staff confirm an order at this version. */
  confirm: async (orderId, version) => expectOk('POST', `/orders/${orderId}/confirm`,
    { token: await staff(), headers: { 'If-Match': `"${version}"` } }),
  /** The order's events, as staff read them. */
  history: async (orderId) => expectOk('GET', `/orders/${orderId}/history`, { token: await staff() }),
  /** The order's details, as staff read them. */
  details: async (orderId) => expectOk('GET', `/orders/${orderId}`, { token: await staff() }),
  /** Waits until the customer's list shows the order at this version: the projection caught up. */
  orderListed: (customerId, orderId, version) => until(`order ${orderId} is listed at version ${version}`, async () => {
    const page = await expectOk('GET', `/customers/${customerId}/orders?limit=50`, { token: await customerToken(customerId) });
    return page.items.some((o) => o.orderId === orderId && o.version >= version);
  }),
};

/** A customer's order, confirmed by staff (version 2) and listed so: the start of scenarios where two tabs act on it. */
export async function confirmedOrder(customerName, productName, unitPrice) {
  const customerId = await api.customer(customerName);
  const productId = await api.product(productName, unitPrice);
  const { orderId } = await api.order(customerId, productId, 1);
  await api.confirm(orderId, 1);
  await api.orderListed(customerId, orderId, 2);
  return { customerId, orderId };
}

/**
 * A TCP proxy to the service that a scenario can cut (its open connections dropped, new ones refused)
 * and restore: a network outage between one tab and the service.
 */
export async function cuttableProxy(target) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const dropAll = () => sockets.forEach((socket) => socket.destroy());
  const proxy = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    cut() { cut = true; dropAll(); },
    restore() { cut = false; },
    close() { cut = true; dropAll(); server.close(); },
  })));
  await allowOrigin(proxy.url); // the page it serves signs in like the service's own
  return proxy;
}

/** Polls the service until the condition holds (the read side follows the write side shortly). */
export async function until(what, condition, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
