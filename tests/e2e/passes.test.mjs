// Guest passes E2E (issue 4): the host creates a pass on the Guests page, the QR image decodes (zbarimg from
// zbar-tools) to the same link, the link opened in a fresh browser context (no login, like a guest's phone) shows the
// pass without moving the relay, and pressing Open unlocks the simulated front door; the host's list counts the use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { artifactsDir, launchChromium, openPage, screenshot, startPortier } from './lib/portier.mjs';

const run = promisify(execFile);
const kAdmin = 'host';
const kAdminPassword = 'guesthouse host pw';
const kTimeout = 15000;

let server;
let browser;
let cookie = '';
let csrf = '';

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (cookie) headers.Cookie = cookie;
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.baseUrl + path, { method, headers, body: body && JSON.stringify(body) });
  const setCookie = res.headers.get('set-cookie');
  if (setCookie) cookie = setCookie.split(';')[0];
  const data = await res.json().catch(() => null);
  if (data && typeof data.csrf_token === 'string') csrf = data.csrf_token;
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${JSON.stringify(data)}`);
  return data;
}

async function relay() {
  const { lines } = await api('GET', '/api/sim/lines');
  return lines.find((l) => l.name === 'front.relay');
}

before(async () => {
  server = await startPortier({
    name: 'passes-server',
    extraConfig: ['demo: true', 'timezone: Europe/Berlin', 'doors:', '  - id: front', '    hold: 2'].join('\n'),
  });
  browser = await launchChromium();
  await api('POST', '/api/auth/onboard', { username: kAdmin, password: kAdminPassword });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a host makes a pass, the QR decodes to its link, and a guest opens the door with it', async (t) => {
  const { context, page, errors } = await openPage(browser, { timeout: kTimeout });
  let url;

  await t.test('the host creates a pass on the Guests page', async () => {
    await page.goto(server.baseUrl + '/#/login');
    await page.getByLabel('Username').fill(kAdmin);
    await page.getByLabel('Password', { exact: true }).fill(kAdminPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('current-user').waitFor();
    await page.getByRole('link', { name: 'Guests' }).first().click();
    await page.getByRole('heading', { name: 'Guests', level: 1 }).waitFor();
    await page.getByLabel("Guest's name").fill('Anna');
    await page.getByRole('checkbox', { name: 'Front door' }).check();
    await page.getByLabel('Maximum openings').fill('3');
    await page.getByRole('button', { name: 'Create pass' }).click();
    const link = page.getByLabel('Guest link');
    await link.waitFor();
    url = await link.inputValue();
    assert.match(url, new RegExp(`^${server.baseUrl}/g/[A-Za-z0-9_-]{43}$`));
    await page.locator('#pass-table').getByText('Anna').waitFor();
    await page.locator('img.qr-image').waitFor();
    assert.ok(await page.locator('img.qr-image').evaluate((img) => img.complete && img.naturalWidth > 0));
    await screenshot(page, 'passes-host-created');
  });

  await t.test('the QR code decodes to the same link', async () => {
    const href = await page.locator('#qr-png').getAttribute('href');
    const res = await page.request.get(server.baseUrl + href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'image/png');
    const file = join(artifactsDir(), 'passes-qr.png');
    await writeFile(file, await res.body());
    const { stdout } = await run('zbarimg', ['--quiet', '--raw', file]);
    assert.equal(stdout.trim(), url);
  });

  await t.test('a guest in a fresh browser opens the door; looking at the page did not', async () => {
    const guest = await openPage(browser, { phone: true, timeout: kTimeout });
    await guest.page.goto(url);
    await guest.page.getByText('Hello Anna').waitFor();
    await guest.page.getByText('Uses left: 3').waitFor();
    const before = await relay();
    assert.equal(before.value, 0, 'viewing the pass moved the relay');
    await screenshot(guest.page, 'passes-guest-page');
    await guest.page.getByRole('button', { name: 'Open Front door' }).click();
    await guest.page.getByText('Front door is open. Come in!').waitFor();
    assert.equal((await relay()).value, 1, 'the relay did not open');
    await guest.page.getByText('Uses left: 2').waitFor();
    await screenshot(guest.page, 'passes-guest-opened');
    assert.deepEqual(guest.errors, []);
    await guest.context.close();
  });

  await t.test("the host's list counts the use and revokes the pass", async () => {
    const row = page.locator('#pass-table tr', { hasText: 'Anna' });
    await row.getByText('1 / 3').waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    const res = await fetch(url);
    assert.equal(res.status, 410);
  });
  assert.deepEqual(errors, []);
  await context.close();
});
