// Phones E2E (issue 6): a server with a SIP listener; an extension added with the CLI registers with real sipp
// (digest); the admin's browser shows it on the Phones page with its source address. Screenshots to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort, launchChromium, openPage, portierCli, screenshot, sippRegister, startPortier, withoutFeatureProbes,
} from './lib/portier.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const kScenario = join(here, '..', 'interop', 'sipp', 'register_digest.xml');
const kAdminPassword = 'correct horse battery';
let server;
let browser;
let sipPort;

const cli = (...args) => portierCli(server.configPath, ...args);

before(async () => {
  sipPort = await freePort();
  server = await startPortier({ name: 'phones-server', sipListen: [`udp:127.0.0.1:${sipPort}`] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a phone registered with sipp shows on the Phones page', async (t) => {
  const sipp = spawnSync('which', ['sipp'], { encoding: 'utf8' });
  if (sipp.status !== 0) return t.skip('sipp (Debian sip-tester) is not installed');
  cli('user', 'add', 'admin', '--role', 'admin', '--password-stdin', { stdin: `${kAdminPassword}\n` });
  cli('extension', 'add', '7002', '--name', 'Kitchen', '--password-stdin', { stdin: 'phone secret 7002\n' });
  cli('extension', 'add', 'door1', '--role', 'door', '--name', 'Front station', '--password-stdin', {
    stdin: 'door secret 1\n',
  });
  await sippRegister({ scenario: kScenario, ext: '7002', password: 'phone secret 7002', sipPort,
    cwd: server.dataDir });

  const { context, page, errors } = await openPage(browser);
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', kAdminPassword);
  await page.click('button[type=submit]');
  await page.getByRole('link', { name: 'Phones' }).first().click();
  const row = page.locator('tr[data-extension="7002"]').first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /udp:127\.0\.0\.1:\d+/);
  assert.match(text, /UDP/);
  const extRow = page.locator('tr[data-extension="door1"]');
  assert.match(await extRow.innerText(), /Front station[\s\S]*door[\s\S]*no/);
  await screenshot(page, 'phones-01-desktop');
  await page.setViewportSize({ width: 375, height: 812 });
  await screenshot(page, 'phones-02-phone');
  assert.deepEqual(withoutFeatureProbes(errors), []);
  await context.close();
});
