// Doors E2E (issue 3): a demo server with the front door's pulse shortened to 2 s. The admin sets up a resident
// through the API and grants her only the front door; in a phone-size browser she sees only that door, unlocks it,
// watches "… Buzzing …" turn back into "Unlock" when the relocked event arrives, and gets the ring banner when the
// admin presses the front call button on the door simulator page; her page resumes after its event WebSocket drops.
// Screenshots go to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPage, screenshot, startPortier } from './lib/portier.mjs';

const kAdmin = 'admin';
const kAdminPassword = 'correct horse battery';
const kResident = 'rita';
const kResidentPassword = 'rita resident pass';
const kHoldSeconds = 2;
const kTimeout = 15000;

let server;
let browser;
let admin; // ApiSession of the administrator

// A cookie session against the JSON API, the way the browser uses it: session cookie plus X-CSRF-Token on writes.
class ApiSession {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = '';
    this.csrf = '';
  }

  async call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (this.cookie) headers.Cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const data = await res.json().catch(() => null);
    if (data && typeof data.csrf_token === 'string') this.csrf = data.csrf_token;
    return { status: res.status, data };
  }

  async ok(method, path, body) {
    const res = await this.call(method, path, body);
    assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} → ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  }
}

before(async () => {
  server = await startPortier({
    name: 'doors-server',
    extraConfig: ['demo: true', 'doors:', '  - id: front', `    hold: ${kHoldSeconds}`].join('\n'),
  });
  browser = await launchChromium();
  admin = new ApiSession(server.baseUrl);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// 403 answers are provoked on purpose below; Chromium logs every non-2xx fetch as a console error.
function unexpected(errors, allowed = /$^/) {
  return errors.filter((e) => !(/Failed to load resource/.test(e) && allowed.test(e)));
}

async function login(page, username, password) {
  await page.goto(server.baseUrl + '/#/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('current-user').waitFor();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The server's count of connected event WebSockets (GET /metrics).
async function eventClients() {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  return Number(/^portier_event_clients (\d+)/m.exec(text)?.[1]);
}

async function noHorizontalOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the screen`);
}

test('the admin sets up a resident with access to the front door only', async () => {
  await admin.ok('POST', '/api/auth/onboard', { username: kAdmin, password: kAdminPassword });
  await admin.ok('POST', '/api/users', { username: kResident, password: kResidentPassword, role: 'resident' });
  const set = await admin.ok('PUT', `/api/users/${kResident}/doors`, { doors: ['front'] });
  assert.deepEqual(set.doors, ['front']);
  const { permissions } = await admin.ok('GET', '/api/permissions');
  assert.deepEqual(permissions, [{ user: kResident, door: 'front' }]);
  const { doors } = await admin.ok('GET', '/api/doors');
  assert.deepEqual(doors.map((d) => d.id).sort(), ['back', 'front']);
});

test('a resident unlocks her door on a phone and sees it relock; a ring shows the banner', async (t) => {
  const {
    context: ritaContext,
    page: rita,
    errors: ritaErrors,
  } = await openPage(browser, {
    phone: true,
    timeout: kTimeout,
  });
  // Her event WebSocket goes through Playwright, so a test can drop it and hold the reconnection back.
  const ritaSockets = [];
  let reconnectGate = Promise.resolve();
  await rita.routeWebSocket(/\/api\/events/, async (ws) => {
    ritaSockets.push(ws);
    await reconnectGate;
    ws.connectToServer();
  });
  const {
    context: adminContext,
    page: adminPage,
    errors: adminErrors,
  } = await openPage(browser, { timeout: kTimeout });
  const front = rita.getByTestId('door-front');
  const unlock = front.getByRole('button', { name: /Unlock|Buzzing|Unlocked/ });

  await t.test('she sees only the front door', async () => {
    await login(rita, kResident, kResidentPassword);
    await rita.goto(server.baseUrl + '/#/doors');
    await rita.getByRole('heading', { name: 'Doors', level: 1 }).waitFor();
    await front.waitFor();
    await rita.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    assert.equal(await rita.locator('.door-card').count(), 1);
    assert.equal(await rita.getByText('Back door').count(), 0);
    assert.equal(await front.getByRole('heading', { name: 'Front door' }).count(), 1);
    assert.equal((await unlock.textContent()).trim(), 'Unlock');
    assert.equal(await unlock.isEnabled(), true);
    await noHorizontalOverflow(rita, 'the doors page');
    await screenshot(rita, 'doors-01-phone-doors');
  });

  await t.test('Unlock buzzes, then the relocked event turns the button back', async () => {
    const started = Date.now();
    await unlock.click();
    await front.getByRole('button', { name: '… Buzzing …' }).waitFor();
    assert.equal(await unlock.isDisabled(), true);
    await front.locator('.door-pill').filter({ hasText: 'Unlocked' }).waitFor();
    await screenshot(rita, 'doors-02-phone-buzzing');
    // The relay relocks after the 2 s pulse; the page learns it from the relocked event.
    await front.getByRole('button', { name: 'Unlock', exact: true }).waitFor({ timeout: (kHoldSeconds + 5) * 1000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= (kHoldSeconds - 0.5) * 1000, `relocked after only ${elapsed} ms`);
    assert.equal(await unlock.isEnabled(), true);
    await front.locator('.door-pill').filter({ hasText: 'Locked' }).waitFor();
    await front.getByText(/Last: Relocked/).waitFor();

    const { events } = await admin.ok('GET', '/api/events/history?door=front&limit=10');
    const sequence = events.map((e) => e.type).reverse();
    assert.deepEqual(sequence.slice(-3), ['unlock_requested', 'unlocked', 'relocked']);
    assert.equal(events.find((e) => e.type === 'unlocked').actor, kResident);
  });

  await t.test('the admin finds the simulator in the navigation', async () => {
    await login(adminPage, kAdmin, kAdminPassword);
    const nav = adminPage.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Door simulator' }).click();
    await adminPage.getByRole('heading', { name: 'Door simulator' }).waitFor();
    await adminPage.getByTestId('sim-door-front').getByText('Relay off: locked').waitFor();
  });

  await t.test('pressing the front call button shows the ring banner on her phone', async () => {
    await adminPage.getByRole('button', { name: 'Press the Front door call button' }).click();
    const banner = rita.getByTestId('ring-banner');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Someone is at the Front door/);
    assert.match(await banner.textContent(), /Rang at/);
    await front.locator('.door-ringing').waitFor();
    await noHorizontalOverflow(rita, 'the doors page with the ring banner');
    await screenshot(rita, 'doors-03-phone-ring-banner');
    await screenshot(adminPage, 'doors-04-desktop-simulator');
    // The admin may open every door, so the banner shows on the admin's page as well.
    await adminPage.getByTestId('ring-banner').waitFor();
  });

  await t.test('the banner unlocks the door and can be dismissed', async () => {
    const banner = rita.getByTestId('ring-banner');
    await banner.getByRole('button', { name: 'Unlock' }).click();
    await banner.getByText(/Buzzing/).waitFor();
    await front.getByRole('button', { name: '… Buzzing …' }).waitFor();
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    // The simulator's relay lamp follows the real line.
    await adminPage.getByTestId('sim-door-front').getByText('Relay on: unlocked').waitFor();
    await adminPage.getByTestId('sim-door-front').getByText('Relay off: locked').waitFor({ timeout: 8000 });
    await front.getByRole('button', { name: 'Unlock', exact: true }).waitFor({ timeout: 8000 });
  });

  await t.test('opening the door contact shows on her card', async () => {
    const contact = adminPage.getByTestId('sim-door-front').getByRole('button', { name: 'Open door' });
    await contact.click();
    await front.getByText('The door is open').waitFor();
    // The door was opened while locked: the forced-open alarm is shown on the card.
    await front
      .locator('.door-alarms')
      .getByText(/Forced open/)
      .waitFor();
    assert.match(await front.getAttribute('class'), /door-card-alarm/);
    await screenshot(rita, 'doors-05-phone-forced-open');
    await adminPage.getByTestId('sim-door-front').getByRole('button', { name: 'Close door' }).click();
    await front.getByText('The door is closed').waitFor();
    await front.locator('.door-alarms').waitFor({ state: 'hidden' });
  });

  await t.test('her events page lists the ring and the unlocks, newest first', async () => {
    await rita.getByRole('button', { name: 'Open menu' }).click();
    await rita.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await rita.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    const rows = rita.getByTestId('event');
    await rows.first().waitFor();
    const types = await rows.evaluateAll((els) => els.map((el) => el.dataset.type));
    assert.equal(types[0], 'door_closed');
    for (const type of ['ring', 'unlocked', 'relocked', 'forced_open']) assert.ok(types.includes(type), type);
    const ids = await rows.evaluateAll((els) => els.map((el) => Number(el.dataset.id)));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    await rita.getByLabel('Show').selectOption('ring');
    await rows.filter({ hasText: 'Ring' }).first().waitFor();
    await rita.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=event]')].every((el) => el.dataset.type === 'ring'),
    );
    // A new event arrives while the page is open: it is prepended live.
    await rita.getByLabel('Show').selectOption('');
    await rows.first().and(rita.locator('[data-type=door_closed]')).waitFor();
    await admin.ok('POST', '/api/doors/front/unlock');
    await rows.first().and(rita.locator('[data-type=unlocked]')).waitFor();
    await screenshot(rita, 'doors-06-phone-events');
    await rows.first().and(rita.locator('[data-type=relocked]')).waitFor({ timeout: 8000 });
  });

  await t.test('after a dropped connection the page resumes with what it missed', async () => {
    const rows = rita.getByTestId('event');
    const newest = Number(await rows.first().getAttribute('data-id'));
    let release;
    reconnectGate = new Promise((resolve) => (release = resolve));
    const count = ritaSockets.length;
    await ritaSockets[count - 1].close();
    await rita.getByTestId('live-status').filter({ hasText: 'Reconnecting' }).waitFor();
    // The page tries again after its backoff; the test holds that connection until the unlock has happened.
    for (let i = 0; i < 100 && ritaSockets.length === count; i += 1) await sleep(50);
    assert.equal(ritaSockets.length, count + 1, 'the page did not reconnect');
    assert.equal(new URL(ritaSockets[count].url()).search, `?after=${newest}`);
    await admin.ok('POST', '/api/doors/front/unlock');
    release();
    await rita.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    await rows.first().and(rita.locator('[data-type=unlocked]')).waitFor();
    const ids = await rows.evaluateAll((els) => els.map((el) => Number(el.dataset.id)));
    assert.deepEqual(ids.slice(0, 2), [newest + 2, newest + 1]);
    assert.equal(new Set(ids).size, ids.length, 'an event is listed twice');
    await rows.first().and(rita.locator('[data-type=relocked]')).waitFor({ timeout: 8000 });
  });

  await t.test('a refused unlock says so clearly', async () => {
    await rita.goto(server.baseUrl + '/#/doors');
    await front.waitFor();
    await admin.ok('PUT', `/api/users/${kResident}/doors`, { doors: [] });
    await unlock.click();
    await rita.getByRole('alert').filter({ hasText: 'Front door: You are not allowed to open this door' }).waitFor();
    // The door leaves her list, the message stays.
    await rita.getByText('You may not open any door yet.').waitFor();
    await rita.getByRole('alert').filter({ hasText: 'not allowed' }).waitFor();
    await screenshot(rita, 'doors-07-phone-refused');
    await admin.ok('PUT', `/api/users/${kResident}/doors`, { doors: ['front'] });
    const { events } = await admin.ok('GET', '/api/events/history?type=unlock_denied');
    assert.equal(events[0].actor, kResident);
  });

  await t.test('logging out closes her event connection', async () => {
    const before = await eventClients();
    await rita.getByRole('button', { name: 'Log out' }).click();
    await rita.getByRole('heading', { name: 'Log in' }).waitFor();
    for (let i = 0; i < 50 && (await eventClients()) !== before - 1; i += 1) await sleep(100);
    assert.equal(await eventClients(), before - 1);
    assert.equal(await rita.getByTestId('ring-banner').count(), 0);
  });

  await t.test('no script errors or CSP violations', () => {
    assert.deepEqual(unexpected(ritaErrors, /status of 403 .*\/api\/doors\/front\/unlock$/), []);
    assert.deepEqual(unexpected(adminErrors), []);
  });
  await ritaContext.close();
  await adminContext.close();
});

test('admin pages in a desktop browser', async (t) => {
  const { context, page, errors } = await openPage(browser, { timeout: kTimeout });

  await t.test('the doors page shows every door to the admin', async () => {
    await login(page, kAdmin, kAdminPassword);
    await page.goto(server.baseUrl + '/#/doors');
    await page.getByTestId('door-front').waitFor();
    await page.getByTestId('door-back').waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    await screenshot(page, 'doors-08-desktop-doors');
  });

  await t.test('door access: ticking a door grants it at once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Door access' }).click();
    const back = page.getByRole('checkbox', { name: `${kResident} may open Back door` });
    const frontBox = page.getByRole('checkbox', { name: `${kResident} may open Front door` });
    await back.waitFor();
    assert.equal(await frontBox.isChecked(), true);
    assert.equal(await back.isChecked(), false);
    await back.check();
    await page.getByText(`${kResident} may now open Back door.`).waitFor();
    const { permissions } = await admin.ok('GET', '/api/permissions');
    assert.deepEqual(permissions.map((p) => p.door).sort(), ['back', 'front']);
    await back.uncheck();
    await page.getByText(`${kResident} may no longer open Back door.`).waitFor();
    // The call button counters: the one press of the simulator rang once.
    const row = page.locator('tr[data-button="front.button"]');
    await row.waitFor();
    assert.match(await row.textContent(), /front\.button/);
    const { buttons } = await admin.ok('GET', '/api/buttons');
    const frontButton = buttons.find((b) => b.door === 'front');
    assert.equal(frontButton.presses, 1);
    assert.equal(frontButton.rings, 1);
    await screenshot(page, 'doors-09-desktop-door-access');
  });

  await t.test('the audit tab lists granted and denied unlocks, newest first', async () => {
    await page.goto(server.baseUrl + '/#/events?tab=audit');
    await page.getByRole('tab', { name: 'Audit log', selected: true }).waitFor();
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    const seqs = await rows.evaluateAll((els) => els.map((el) => Number(el.dataset.seq)));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
    );
    await page.getByRole('cell', { name: 'denied' }).first().waitFor();
    await page.getByRole('cell', { name: 'granted' }).first().waitFor();
    await screenshot(page, 'doors-10-desktop-audit');
  });

  await t.test('no script errors or CSP violations', () => {
    assert.deepEqual(unexpected(errors), []);
  });
  await context.close();
});
