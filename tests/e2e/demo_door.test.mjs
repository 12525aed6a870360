// The one-laptop demo (issue 8 item 7, docs/webrtc.md "Demo door"): `portier serve` with config/portier.demo.yaml
// as shipped (only the ports, data_dir and the test's fast password hashing changed). Browser A, the admin, opens the
// door simulator and presses "Ring as the door (browser)" for the front door: its tab calls the door's ring group
// (7000, members webrtc:*) and becomes the door station. Browser B, a resident, is rung on whatever page is open,
// answers, and both hear each other (getStats inbound audioLevel > 0 on both sides; Chromium's fake microphone
// beeps). A's own tab is never rung. B presses Unlock: the simulated front relay opens and the audit row names B.
// A hangs up: both phones idle, GET /api/calls empty, A's standing session is back. Then the newcomer's own flow:
// one login, two tabs of the same admin; the back door rings the other tab, which answers and hangs up, and the
// door tab's call ends too. Screenshots to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from './lib/media.mjs';
import {
  artifactsDir, freePort, launchChromium, openPage, portierCli, screenshot, watchPageErrors,
} from './lib/portier.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const kDemoConfig = resolve(here, '..', '..', 'config', 'portier.demo.yaml');
const kAdminPassword = 'correct horse battery';
const kResidentPassword = 'resident horse battery';

let server; // {baseUrl, configPath, stop()}
let browser;
let token;

// The demo file with its listeners moved to free ports and its data into a temp dir. Everything else (demo doors,
// ring groups, features.webrtc) is exactly what `make run` uses.
function demoConfig(text, { dataDir, httpPort, sipPort, webRoot }) {
  let out = text
    .replace(/^data_dir: .*$/m, `data_dir: ${JSON.stringify(dataDir)}`)
    .replace(/^( {2}listen: )"127\.0\.0\.1:8080"$/m, `$1"127.0.0.1:${httpPort}"`)
    .replace(/127\.0\.0\.1:5060/g, `127.0.0.1:${sipPort}`);
  assert.ok(out.includes(`"127.0.0.1:${httpPort}"`), 'the demo config has http.listen "127.0.0.1:8080"');
  assert.ok(out.includes(`udp:127.0.0.1:${sipPort}`), 'the demo config listens for SIP on 127.0.0.1:5060');
  if (webRoot) out = out.replace(/^http:$/m, `http:\n  web_root: ${JSON.stringify(webRoot)}`);
  return `${out}\nauth:\n  argon2_opslimit: 1\n  argon2_memlimit_kib: 8192\n`;
}

async function startDemoServer() {
  const bin = process.env.PORTIER_BIN;
  if (!bin || !existsSync(bin)) throw new Error('set PORTIER_BIN to the portier binary (ctest does this)');
  const dir = await mkdtemp(join(tmpdir(), 'portier-demo-door-'));
  const httpPort = await freePort();
  const sipPort = await freePort();
  const configPath = join(dir, 'portier.yaml');
  const webRoot = process.env.PORTIER_WEB_ROOT ? resolve(process.env.PORTIER_WEB_ROOT) : null;
  await writeFile(
    configPath,
    demoConfig(readFileSync(kDemoConfig, 'utf8'), { dataDir: join(dir, 'data'), httpPort, sipPort, webRoot }),
  );
  await mkdir(artifactsDir(), { recursive: true });
  const log = createWriteStream(join(artifactsDir(), 'demo-door-server.log'));
  const child = spawn(bin, ['serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((r) => child.once('exit', r));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (await Promise.race([exited.then(() => false), sleep(5000).then(() => true)])) child.kill('SIGKILL');
    }
    log.end();
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`portier exited with ${child.exitCode} (log: ${join(artifactsDir(), 'demo-door-server.log')})`);
    }
    try {
      if ((await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('portier did not become healthy within 20 s');
    }
    await sleep(100);
  }
  return { baseUrl, configPath, stop };
}

const cli = (...args) => portierCli(server.configPath, ...args);

async function api(method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(r.status, 200, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.json();
}

async function login(page, name, password) {
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('current-user').waitFor();
  // The shell's standing session: this tab can be rung (webrtc:<user>, webrtc:*).
  await page.waitForFunction(() => Boolean(window.portierPhone?.standing_));
}

// The loudest inbound audio level the page's peer connection reports (0 without one).
const inboundLevel = (page) =>
  page.evaluate(async () => {
    const pc = window.portierPhone.peerConnection();
    if (!pc) return 0;
    let level = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
    });
    return level;
  });

const sessionsOf = async (user) =>
  (await api('GET', '/api/webrtc/sessions')).sessions.filter((s) => s.extension === `webrtc:${user}`);

before(async () => {
  server = await startDemoServer();
  cli('user', 'add', 'admin', '--role', 'admin', '--password-stdin', { stdin: `${kAdminPassword}\n` });
  cli('user', 'add', 'rita', '--role', 'resident', '--password-stdin', { stdin: `${kResidentPassword}\n` });
  token = cli('token', 'create', '--user', 'admin').trim();
  await api('PUT', '/api/users/rita/doors', { doors: ['front'] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the demo config rings a browser tab as the front door; a resident answers, talks and unlocks', async () => {
  const state = await (await fetch(`${server.baseUrl}/api/auth/state`)).json();
  assert.equal(state.features.webrtc, true, 'the demo config turns the browser phone on');
  assert.equal(state.features.sim, true);
  const sim = await api('GET', '/api/sim/lines');
  assert.deepEqual(
    sim.doors,
    [
      { id: 'back', ring_group: '7001' },
      { id: 'front', ring_group: '7000' },
    ],
    'each demo door is rung as its own ring group',
  );

  const a = await openPage(browser);
  const b = await openPage(browser, { phone: true });
  await login(a.page, 'admin', kAdminPassword);
  await login(b.page, 'rita', kResidentPassword);
  await b.page.goto(`${server.baseUrl}/#/`); // "any page": the resident's home
  await waitFor('both standing sessions', async () => (await sessionsOf('admin')).length === 1 && (await sessionsOf('rita')).length === 1);

  // A: the simulator page, front door, "Ring as the door (browser)".
  await a.page.goto(`${server.baseUrl}/#/simulator`);
  const box = a.page.getByTestId('sim-door-phone-front');
  await box.waitFor();
  assert.equal(await box.getAttribute('data-state'), 'idle');
  assert.equal(await a.page.getByTestId('sim-door-phone-back').count(), 1, 'the back door has its own button');
  await a.page.getByTestId('sim-ring-as-door-front').click();
  await a.page.waitForFunction(() =>
    ['ringing', 'connected'].includes(document.querySelector('[data-testid=sim-door-phone-front]')?.dataset.state),
  );

  // B is rung on its home page by the front door; A's tab is not rung (its standing session is closed meanwhile).
  const panel = b.page.getByTestId('call-panel');
  await b.page.waitForSelector('[data-testid=call-panel][data-state=incoming]');
  assert.match(await b.page.getByTestId('call-title').textContent(), /Door call/);
  assert.equal(await b.page.evaluate(() => window.portierPhone.call().door), 'front');
  assert.equal(await a.page.evaluate(() => window.portierPhone.state()), 'in_call', 'the door leg is up');
  assert.ok(
    !(await a.page.evaluate(() => window.portierPhone.statusLog)).some((t) => /Someone is at|Incoming call/.test(t)),
    "the door tab never rang itself",
  );
  const adminSessions = await sessionsOf('admin');
  assert.equal(adminSessions.length, 1, `only the door call's session is A's: ${JSON.stringify(adminSessions)}`);
  await screenshot(a.page, 'demo-door-01-ringing-a');
  await screenshot(b.page, 'demo-door-02-ringing-b');
  const ringing = (await api('GET', '/api/calls')).calls;
  assert.equal(ringing.length, 1);
  assert.equal(ringing[0].door, 'front');
  assert.equal(ringing[0].ring_group, '7000');

  // B answers: both connected, audio both ways.
  await b.page.click('#phone-answer');
  await b.page.waitForSelector('[data-testid=call-panel][data-state=in_call]');
  await a.page.waitForSelector('[data-testid=sim-door-phone-front][data-state=connected]');
  assert.match(await a.page.getByTestId('sim-door-status-front').textContent(), /^Connected with /);
  assert.match(await a.page.locator('#call-status').textContent(), /^Connected with /, "A's call panel agrees");
  const aLog = await a.page.evaluate(() => window.portierPhone.statusLog);
  assert.ok(aLog.includes('Ringing ring group 7000 as the Front door...'), aLog.join(' | '));
  await waitFor('inbound audio at the door tab (A)', async () => (await inboundLevel(a.page)) > 0);
  await waitFor('inbound audio at the resident (B)', async () => (await inboundLevel(b.page)) > 0);
  const answered = (await api('GET', '/api/calls')).calls;
  assert.equal(answered.length, 1);
  assert.equal(answered[0].state, 'answered');
  assert.match(answered[0].answered_by, /^webrtc:/, 'a browser phone answered');
  await screenshot(a.page, 'demo-door-03-connected-a');
  await screenshot(b.page, 'demo-door-04-connected-b');

  // B unlocks: the simulated front relay opens, and the audit names rita.
  const relayChanges = () =>
    api('GET', '/api/sim/lines').then((r) => r.lines.find((l) => l.name === 'front.relay').changes);
  const before = await relayChanges();
  await panel.locator('#phone-unlock').click();
  await waitFor('the front relay to open', async () => (await relayChanges()) > before);
  const audit = (await api('GET', '/api/audit?limit=20')).audit;
  const row = audit.find((r) => r.door === 'front' && r.action === 'unlock' && r.result === 'granted');
  assert.ok(row, `an unlock of front in the audit: ${JSON.stringify(audit)}`);
  assert.equal(row.actor, 'rita');

  // A hangs up: both idle, no call left, and A's tab can be rung again.
  await a.page.getByTestId('sim-door-hangup-front').click();
  await a.page.waitForSelector('[data-testid=sim-door-phone-front][data-state=ended]');
  await b.page.waitForFunction(() => window.portierPhone.state() === 'idle');
  assert.equal(await panel.isHidden(), true);
  await waitFor('no call left', async () => (await api('GET', '/api/calls')).calls.length === 0);
  await waitFor('A listening again', async () => {
    const s = await sessionsOf('admin');
    return s.length === 1 && !['in_call', 'calling', 'ringing'].includes(s[0].state);
  });
  assert.equal(await a.page.evaluate(() => window.portierPhone.state()), 'idle');
  await screenshot(a.page, 'demo-door-05-ended-a');

  for (const { errors } of [a, b]) assert.deepEqual(errors, []);
  await a.context.close();
  await b.context.close();
});

test('one browser, two tabs of the same admin: the back door rings the other tab, which answers and hangs up', async () => {
  // The newcomer's flow after `make run`: one login, two tabs (they share the session cookie, so both are admin).
  const { context, page: a, errors } = await openPage(browser);
  await login(a, 'admin', kAdminPassword);
  const b = await context.newPage();
  const errorsB = watchPageErrors(b);
  await b.goto(`${server.baseUrl}/#/doors`);
  await b.waitForFunction(() => Boolean(window.portierPhone?.standing_));
  await waitFor('two standing sessions of admin', async () => (await sessionsOf('admin')).length === 2);
  await a.goto(`${server.baseUrl}/#/simulator`);
  await a.getByTestId('sim-ring-as-door-back').click();

  await b.waitForSelector('[data-testid=call-panel][data-state=incoming]');
  assert.equal(await b.evaluate(() => window.portierPhone.call().door), 'back');
  assert.equal(await a.evaluate(() => window.portierPhone.state()), 'in_call', 'tab A is the door, not rung');
  assert.equal(await a.getByTestId('sim-door-phone-back').getAttribute('data-state'), 'ringing');
  await b.click('#phone-answer');
  await a.waitForSelector('[data-testid=sim-door-phone-back][data-state=connected]');
  await waitFor('inbound audio at the door tab', async () => (await inboundLevel(a)) > 0);
  await waitFor('inbound audio at the answering tab', async () => (await inboundLevel(b)) > 0);
  await screenshot(a, 'demo-door-06-same-user-connected');

  // The resident hangs up: the door call ends for the door tab too.
  await b.click('#phone-hangup');
  await a.waitForSelector('[data-testid=sim-door-phone-back][data-state=ended]', { timeout: 20000 });
  assert.equal(await a.evaluate(() => window.portierPhone.state()), 'idle');
  await waitFor('no call left', async () => (await api('GET', '/api/calls')).calls.length === 0);
  await waitFor('both tabs listening again', async () => {
    const s = await sessionsOf('admin');
    return s.length === 2 && s.every((x) => !['in_call', 'calling', 'ringing'].includes(x.state));
  });
  assert.match(await a.getByTestId('sim-door-status-back').textContent(), /^Ended: /);
  assert.deepEqual([...errors, ...errorsB], []);
  await context.close();
});
