// Calls E2E (issue 7): the door's call button (simulated line) makes Portier call the door station and ring the
// group (both real sipp phones that answer); the admin's Calls page shows the connected call and hangs it up, and
// both phones get their BYE. Screenshots to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort, launchChromium, openPage, portierCli, screenshot, sippRegister, startPortier, withoutFeatureProbes,
} from './lib/portier.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const kSipp = join(here, '..', 'interop', 'sipp');
const kAdminPassword = 'correct horse battery';
let server;
let browser;
let sipPort;
const children = [];

const cli = (...args) => portierCli(server.configPath, ...args);

async function register(ext) {
  return sippRegister({ scenario: join(kSipp, 'register_digest.xml'), ext, password: `secret-${ext}`, sipPort,
    cwd: server.dataDir });
}

// A phone that answers (tests/interop/sipp/calls_member_answer.xml, template values filled in) and waits for BYE.
async function answeringPhone(port, name, offerRe) {
  const values = { OFFER_RE: offerRe, ANSWER_MS: '200', BYE_TIMEOUT: '60000', MEDIA_PORT: '[auto_media_port]',
    PLAY: '', DIAL: '7000', HOLD_MS: '0', PCAP: '' };
  let xml = readFileSync(join(kSipp, 'calls_member_answer.xml'), 'utf8');
  for (const [k, v] of Object.entries(values)) xml = xml.replaceAll(`@${k}@`, v);
  const path = join(server.dataDir, `${name}.xml`);
  writeFileSync(path, xml);
  const child = spawn('sipp', ['-sf', path, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-timeout',
    '60s', '-timeout_error', '-mp', String(await freePort())], { cwd: server.dataDir, stdio: 'ignore' });
  children.push(child);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

before(async () => {
  sipPort = await freePort();
  server = await startPortier({
    name: 'calls-server',
    sipListen: [`udp:127.0.0.1:${sipPort}`],
    extraConfig: [
      'demo: true',
      'ring_groups:',
      '  - id: "7000"',
      '    members: ["7002"]',
      'doors:',
      '  - id: front',
      '    station: "7001"',
      '    ring_group: "7000"',
    ].join('\n'),
  });
  browser = await launchChromium();
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await browser?.close();
  await server?.stop();
});

test('the admin sees a door call on the Calls page and hangs it up', async (t) => {
  if (spawnSync('which', ['sipp']).status !== 0) return t.skip('sipp (Debian sip-tester) is not installed');
  cli('user', 'add', 'admin', '--role', 'admin', '--password-stdin', { stdin: `${kAdminPassword}\n` });
  cli('extension', 'add', '7001', '--role', 'door', '--password-stdin', { stdin: 'secret-7001\n' });
  cli('extension', 'add', '7002', '--password-stdin', { stdin: 'secret-7002\n' });
  const token = cli('token', 'create', '--user', 'admin').trim();
  const station = answeringPhone(await register('7001'), 'station', 'm=audio [0-9]+ RTP/AVP');
  const resident = answeringPhone(await register('7002'), 'resident', 'm=audio [0-9]+ RTP/AVP');

  const { context, page, errors } = await openPage(browser);
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', kAdminPassword);
  await page.click('button[type=submit]');
  await page.getByRole('link', { name: 'Calls' }).first().click();
  await page.getByText('No call right now.').waitFor();

  for (const value of [1, 0]) {
    const r = await fetch(`${server.baseUrl}/api/sim/lines/front.button`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    assert.equal(r.status, 200);
  }
  const row = page.locator('tr[data-testid="call"]').first();
  await row.getByText('Connected').waitFor({ timeout: 15000 });
  const text = await row.innerText();
  assert.match(text, /front/);
  assert.match(text, /7002/);
  await screenshot(page, 'calls-01-connected');
  await row.getByRole('button', { name: 'Hang up' }).click();
  // The confirmation dialog (wait for it: the row's own button has the same name).
  await page.getByRole('dialog', { name: 'Hang up this call?' }).getByRole('button', { name: 'Hang up' }).click();
  await page.getByText('No call right now.').waitFor({ timeout: 10000 });
  assert.equal(await station, 0, 'the station did not get its BYE');
  assert.equal(await resident, 0, 'the resident did not get its BYE');
  await screenshot(page, 'calls-02-ended');
  assert.deepEqual(withoutFeatureProbes(errors), []);
  await context.close();
});
