// Shared E2E helpers: start a fresh `portier serve` on a free loopback port with a temp data dir, launch Debian's
// Chromium through playwright-core (never a downloaded browser), and save screenshots as test artifacts.
//
// Environment:
//   PORTIER_BIN           path of the portier binary (required unless PORTIER_E2E_BASE_URL is set)
//   E2E_ARTIFACTS         where screenshots and server logs go (default tests/e2e/artifacts/)
//   PORTIER_WEB_ROOT      serve the web UI from this folder instead of the files embedded in the binary
//   PORTIER_E2E_BASE_URL  use an already running, freshly started server instead (development only)
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createWriteStream, existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export const kChromiumPath = '/usr/bin/chromium';

export function artifactsDir() {
  return resolve(process.env.E2E_ARTIFACTS || join(here, '..', 'artifacts'));
}

function freeTcpPort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function udpFree(port) {
  return new Promise((resolveFree) => {
    const s = createSocket('udp4');
    s.once('error', () => resolveFree(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolveFree(true)));
  });
}

// A loopback port free for both TCP and UDP right now (SIP peers such as sipp and baresip bind both).
export async function freePort() {
  for (let i = 0; i < 100; i++) {
    const port = await freeTcpPort();
    if (await udpFree(port)) return port;
  }
  throw new Error('no free port');
}

// Runs `portier ARGS --config CONFIG_PATH` and returns its stdout; throws (with its stderr) when it fails. A last
// argument `{ stdin }` is fed to its standard input.
export function portierCli(configPath, ...args) {
  const input = args.at(-1)?.stdin;
  const argv = input === undefined ? args : args.slice(0, -1);
  const r = spawnSync(process.env.PORTIER_BIN, [...argv, '--config', configPath], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`portier ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// A port P with P and P+1 free for TCP and UDP: baresip binds its TLS listener on sip_listen's port + 1 (and Linux
// hands out odd ports for bind(0), even ones for connect(), so P+1 is often some test's outgoing connection).
export async function freePortPair() {
  for (let i = 0; i < 200; i++) {
    const port = await freePort();
    if (port < 65535 && (await udpFree(port + 1)) && (await tcpFree(port + 1))) return port;
  }
  throw new Error('no free port pair');
}

function tcpFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

// sipp's exit status for a fatal error before any call, e.g. a port another test bound after freePort().
export const kSippFatal = 254;

// Registers `ext` with the register_digest.xml sipp scenario; starts sipp again with a fresh port when it dies with
// its fatal status. Returns the port sipp used (a UAS started on it is then the registered contact).
export async function sippRegister({ scenario, ext, password, sipPort, cwd, timeout = '15s' }) {
  let r;
  let port;
  for (let attempt = 0; attempt < 5; attempt++) {
    port = await freePort();
    r = spawnSync(
      'sipp',
      ['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-s', ext, '-au', ext, '-ap', password, '-m', '1',
        '-nostdin', '-timeout', timeout, '-timeout_error', `127.0.0.1:${sipPort}`],
      { encoding: 'utf8', cwd, timeout: 40000 },
    );
    if (r.status !== kSippFatal) break;
  }
  if (r.status !== 0) throw new Error(`sipp register ${ext} exited ${r.status}: ${r.stdout?.slice(-1500)}`);
  return port;
}

// The local UDP ports process `pid` has sockets on (from /proc), sorted: lets a test check that a call's media ports
// were released without probing ports that tests running in parallel may hold.
export function udpPortsHeld(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // the fd closed meanwhile
    }
  }
  const ports = new Set();
  for (const table of ['udp', 'udp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

function yamlString(text) {
  return JSON.stringify(String(text)); // a JSON string is a valid YAML double-quoted scalar
}

// Polls GET /health until it answers 200, the process exits, or the deadline passes.
async function waitForHealth(baseUrl, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let lastError = null;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`portier exited with code ${child.exitCode} before it was healthy`);
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      lastError = new Error(`/health answered ${res.status}`);
    } catch (e) {
      lastError = e;
    }
    await sleep(100);
  }
  throw new Error(`portier did not become healthy within ${deadlineMs} ms: ${lastError?.message}`);
}

// Starts a fresh server. Returns {baseUrl, dataDir, configPath, stop()}; stop() kills the process and removes the
// temp dir.
// sipListen: SIP listeners (e.g. ['udp:127.0.0.1:5070']); none by default so parallel tests never share a port.
export async function startPortier({ name = 'portier', extraConfig = '', sipListen = [] } = {}) {
  if (process.env.PORTIER_E2E_BASE_URL) {
    const baseUrl = process.env.PORTIER_E2E_BASE_URL.replace(/\/$/, '');
    await waitForHealth(baseUrl, null, 5000);
    return { baseUrl, dataDir: null, stop: async () => {} };
  }
  const bin = process.env.PORTIER_BIN;
  if (!bin) throw new Error('set PORTIER_BIN to the portier binary (ctest does this), e.g. build/src/app/portier');
  if (!existsSync(bin)) throw new Error(`PORTIER_BIN=${bin} does not exist; build the portier target first`);

  const dir = await mkdtemp(join(tmpdir(), 'portier-e2e-'));
  const port = await freePort();
  const webRoot = process.env.PORTIER_WEB_ROOT;
  const configPath = join(dir, 'portier.yaml');
  await writeFile(
    configPath,
    [
      '# written by tests/e2e/lib/portier.mjs',
      `data_dir: ${yamlString(join(dir, 'data'))}`,
      'http:',
      `  listen: "127.0.0.1:${port}"`,
      webRoot ? `  web_root: ${yamlString(resolve(webRoot))}` : null,
      'auth:',
      '  argon2_opslimit: 1',
      '  argon2_memlimit_kib: 8192',
      'sip:',
      `  listen: ${JSON.stringify(sipListen)}`,
      extraConfig,
      '',
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );

  const artifacts = artifactsDir();
  await mkdir(artifacts, { recursive: true });
  const log = createWriteStream(join(artifacts, `${name}.log`));
  const child = spawn(bin, ['serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((r) => child.once('exit', r));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    log.end();
    await rm(dir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 20000);
  } catch (e) {
    await stop();
    throw new Error(`${e.message} (server log: ${join(artifacts, `${name}.log`)})`);
  }
  return { baseUrl, dataDir: join(dir, 'data'), configPath, stop, pid: child.pid };
}

// fakeMediaUi: false leaves out --use-fake-ui-for-media-stream, so microphone requests are refused (headless).
export async function launchChromium({ fakeMediaUi = true } = {}) {
  if (!existsSync(kChromiumPath)) throw new Error(`${kChromiumPath} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: kChromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      fakeMediaUi ? '--use-fake-ui-for-media-stream' : null,
      '--allow-loopback-in-peer-connection',
    ].filter(Boolean),
  });
}

// A fresh browser context with one page and its error watcher: {context, page, errors}. phone: a 375 px touch screen.
export async function openPage(
  browser,
  { phone = false, viewport = { width: 1280, height: 860 }, timeout = 15000 } = {},
) {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport },
  );
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  return { context, page, errors: watchPageErrors(page) };
}

export async function screenshot(page, name) {
  const dir = artifactsDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Collects console errors, uncaught page errors and CSP violations so a test can assert the UI ran cleanly.
// A failed request's message names its URL after " @ " so tests can allow an expected status of one endpoint.
export function watchPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url;
    errors.push(`console: ${msg.text()}${url ? ` @ ${url}` : ''}`);
  });
  return errors;
}

// The UI used to probe GET /api/sim/lines (a logged 404 outside demo mode); it now reads /api/auth/state's features.
// Kept as a filter of exactly that message so an older page in a test never fails on it.
export function withoutFeatureProbes(errors) {
  return errors.filter((e) => !/status of 404 .* @ .*\/api\/sim\/lines$/.test(e));
}
