// Foundation E2E: a fresh server in headless Chromium — onboarding, home, logout, failed and successful login,
// API token creation, user management, and the phone-size layout. Screenshots go to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, screenshot, startPortier, watchPageErrors, withoutFeatureProbes } from './lib/portier.mjs';

const kAdmin = 'admin';
const kAdminPassword = 'correct horse battery';
const kTimeout = 15000;

let server;
let browser;

before(async () => {
  server = await startPortier({ name: 'foundation-server' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A 401/409/429 answer is an expected outcome in these flows; Chromium still logs it as a console error.
function unexpected(errors) {
  return withoutFeatureProbes(errors).filter(
    (e) => !/Failed to load resource: the server responded with a status of (401|409|429)/.test(e),
  );
}

async function login(page, username, password) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('onboarding, login, logout and API tokens in a desktop browser', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(kTimeout);
  const page = await context.newPage();
  const errors = watchPageErrors(page);

  await t.test('the UI is served with a strict Content-Security-Policy', async () => {
    // The UI must run under it: no inline scripts or styles (violations are caught as console errors below).
    const res = await fetch(`${server.baseUrl}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  await t.test('a fresh server shows onboarding', async () => {
    await page.goto(server.baseUrl + '/');
    await page.getByRole('heading', { name: 'Welcome to Portier' }).waitFor();
    assert.match(page.url(), /#\/onboarding$/);
    await screenshot(page, '01-onboarding');
  });

  await t.test('onboarding rejects a short password before sending it', async () => {
    await page.getByLabel('Administrator username').fill(kAdmin);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor();
  });

  await t.test('creating the admin logs in and shows home with the user', async () => {
    await page.getByLabel('Password', { exact: true }).fill(kAdminPassword);
    await page.getByLabel('Confirm password').fill(kAdminPassword);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByTestId('home-user').waitFor();
    assert.equal(await page.getByTestId('home-user').textContent(), kAdmin);
    assert.equal(await page.getByTestId('current-user').textContent(), kAdmin);
    for (const section of ['Doors', 'Events', 'Phone', 'Guests', 'Account', 'Users']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: section }).waitFor();
    }
    await screenshot(page, '02-home');
  });

  await t.test('reloading keeps the session', async () => {
    await page.reload();
    await page.getByTestId('home-user').waitFor();
  });

  await t.test('log out returns to the login page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByText('You have been logged out.').waitFor();
    const state = await page.evaluate(async () => (await fetch('/api/auth/state')).json());
    assert.equal(state.authenticated, false);
    assert.equal(state.onboarding_required, false);
  });

  await t.test('a wrong password shows the uniform error', async () => {
    await login(page, kAdmin, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();
    await screenshot(page, '03-login-error');
    // An unknown user gets the very same text, so the page does not reveal which names exist.
    await page.evaluate(() => document.querySelector('[role=alert]').replaceChildren());
    await login(page, 'nobody', 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();
  });

  await t.test('a rate-limited login shows "Too many attempts"', async () => {
    // The server's lockout thresholds are tested in tests/integration; here only the page's handling of 429.
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ success: false, error: { code: 'rate_limited', message: 'slow down' } }),
      }),
    );
    await login(page, kAdmin, kAdminPassword);
    await page.getByRole('alert').filter({ hasText: 'Too many attempts, try again later' }).waitFor();
    await page.unroute('**/api/auth/login');
  });

  await t.test('the right password logs in', async () => {
    await login(page, kAdmin, kAdminPassword);
    await page.getByTestId('home-user').waitFor();
  });

  let token;
  await t.test('the account page creates an API token and shows it once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Label').fill('e2e script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByLabel('New API token');
    await shown.waitFor();
    token = await shown.inputValue();
    assert.ok(token.length >= 16, `token looks too short: ${token.length} chars`);
    await page.getByRole('cell', { name: 'e2e script', exact: true }).waitFor();
    await screenshot(page, '04-account-token');
  });

  await t.test('the new token authenticates API calls', async () => {
    const res = await fetch(`${server.baseUrl}/api/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.success, true);
    assert.ok(body.tokens.some((x) => x.label === 'e2e script'));
  });

  await t.test('a revoked token is gone from the list and stops working', async () => {
    await page.getByLabel('Label').fill('temporary');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('cell', { name: 'temporary', exact: true }).waitFor();
    const temporary = await page.getByLabel('New API token').inputValue();
    await page.getByRole('button', { name: 'Revoke token temporary' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke token?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('cell', { name: 'temporary', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'e2e script', exact: true }).waitFor();
    const res = await fetch(`${server.baseUrl}/api/tokens`, { headers: { Authorization: `Bearer ${temporary}` } });
    assert.equal(res.status, 401);
  });

  await t.test('an admin adds a resident on the users page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Add a user' }).waitFor();
    await page.getByLabel('Username').fill('rosa');
    await page.getByLabel('Role').selectOption('resident');
    await page.getByLabel('Initial password').fill('rosa resident pass');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'rosa', exact: true }).waitFor();
    // Not a demo server: the door simulator stays out of the navigation (its probe has long been answered).
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Door access' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Door simulator' }).count(), 0);
    await screenshot(page, '05-users');
  });

  await t.test('a lost session sends the user back to the login page', async () => {
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByText('Your session has ended. Please log in again.').waitFor();
    assert.match(page.url(), /#\/login\?next=%2Faccount$/);
    await login(page, kAdmin, kAdminPassword);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  });

  await t.test('the page ran without script errors or CSP violations', () => {
    assert.deepEqual(unexpected(errors), []);
  });
  await context.close();
});

test('phone-size viewport', async (t) => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(kTimeout);
  const page = await context.newPage();
  const errors = watchPageErrors(page);

  await t.test('login and home fit a 375 px screen', async () => {
    await page.goto(server.baseUrl + '/');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await screenshot(page, '06-phone-login');
    await login(page, kAdmin, kAdminPassword);
    await page.getByTestId('home-user').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await screenshot(page, '07-phone-home');
  });

  await t.test('the menu button opens the navigation drawer', async () => {
    const menu = page.getByRole('button', { name: 'Open menu' });
    await menu.click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Account' }).waitFor({ state: 'visible' });
    await screenshot(page, '08-phone-menu');
    await nav.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByRole('cell', { name: 'e2e script', exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `account page is ${overflow}px wider than the screen`);
    await screenshot(page, '09-phone-account');
  });

  await t.test('no script errors or CSP violations', () => {
    assert.deepEqual(unexpected(errors), []);
  });
  await context.close();
});

test('a resident sees no admin pages', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(kTimeout);
  const page = await context.newPage();
  const errors = watchPageErrors(page);

  await t.test('the users link is missing and the page is refused', async () => {
    await page.goto(server.baseUrl + '/#/users');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await login(page, 'rosa', 'rosa resident pass');
    // The page asked for before logging in is admin-only, so the login goes home instead.
    await page.getByTestId('home-user').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Account' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
    await page.goto(server.baseUrl + '/#/users');
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    const res = await page.evaluate(async () => (await fetch('/api/users')).status);
    assert.equal(res, 403);
    await screenshot(page, '10-resident-refused');
  });

  await t.test('no script errors or CSP violations', () => {
    assert.deepEqual(
      unexpected(errors).filter((e) => !/status of 403/.test(e)),
      [],
    );
  });
  await context.close();
});
