// Browser phone acceptance tests against real peers (issue 8): Debian's Chromium (fake microphone) through
// Portier's WebRTC gateway, with baresip door stations and sipp extensions on loopback.
//   1. door ring: the front door's simulated call button -> Portier calls the door station (a baresip that
//      auto-answers with a 1 kHz tone) and rings group 7000 = ["webrtc:alice"]; alice's browser, on the Doors page,
//      gets the incoming call, answers, hears the station (inbound-rtp packets and audioLevel > 0) and the station
//      decodes the browser's beeps; Unlock opens the simulated relay and the audit shows alice/web;
//   2. conference: the back door's silent station rings ["webrtc:bob", "webrtc:carol"] (answer: conference); both
//      answer; each browser hears the other one's microphone (audioLevel > 0, silence before the second answer);
//   3. DTMF: the keypad's "5" reaches a sipp UAS (extension 1001) as RFC 4733 telephone-events, read by a UDP socket
//      of this test that the UAS's SDP names as its media port;
//   4. failures and SIP INFO, on a server with features.webrtc.dtmf.mode SIP_INFO and room for ONE browser endpoint
//      (4 ports): a browser offer with a wrong a=fingerprint fails cleanly (clear status, no live session, no call),
//      then a good call still gets the ports and its keypad "5" reaches the UAS as SIP INFO application/dtmf-relay.
// Skipped only when the server has no WebRTC gateway or baresip/sipp are missing. Screenshots to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { baresipConfig, peakOfWav, spawnBaresip, waitFor, writeTone } from './lib/media.mjs';
import {
  freePort, freePortPair, launchChromium, openPage,
  portierCli, screenshot, sippRegister, startPortier, withoutFeatureProbes,
} from './lib/portier.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const kSipp = join(here, '..', 'interop', 'sipp');
const kAdminPassword = 'correct horse battery';
const kPasswords = { alice: 'alice resident 1', bob: 'bob resident 12', carol: 'carol resident 1' };
const kLiveStates = ['in_call', 'calling', 'ringing', 'connected', 'connecting'];
const haveTools = ['baresip', 'sipp'].every((t) => spawnSync('which', [t]).status === 0);
let browser;
let main; // the door server (RFC 2833)
let info; // the SIP INFO server with room for one endpoint
let webrtc = false;
const children = [];
const sockets = [];

// A block of `size` consecutive free UDP ports starting at an even port.
async function freeRange(size) {
  for (let i = 0; i < 50; i++) {
    const base = (await freePort()) & ~1;
    if (base + size > 65535) continue;
    const sockets = [];
    let ok = true;
    for (let p = base; p < base + size && ok; p++) {
      const s = createSocket('udp4');
      sockets.push(s);
      ok = await new Promise((r) => {
        s.once('error', () => r(false));
        s.bind(p, '127.0.0.1', () => r(true));
      });
    }
    for (const s of sockets) s.close();
    if (ok) return [base, base + size - 1];
  }
  throw new Error('no free port range');
}

// A Portier with features.webrtc on, the given extra YAML, an admin, residents and extensions.
async function startServer(name, extra, { webrtcPorts = 40, webrtcExtra = [] } = {}) {
  const sipPort = await freePort();
  const [lo, hi] = await freeRange(webrtcPorts);
  const [rlo, rhi] = await freeRange(40);
  const server = await startPortier({
    name,
    sipListen: [`udp:127.0.0.1:${sipPort}`],
    extraConfig: [
      'demo: true',
      'rtp:',
      '  bind_address: 127.0.0.1',
      `  port_min: ${rlo}`,
      `  port_max: ${rhi}`,
      'features:',
      '  webrtc:',
      '    enabled: true',
      '    verbose_logging: true',
      '    stun_servers: []',
      '    rtp:',
      `      port_min: ${lo}`,
      `      port_max: ${hi}`,
      ...webrtcExtra,
      ...extra,
    ].join('\n'),
  });
  const cli = (...args) => portierCli(server.configPath, ...args);
  cli('user', 'add', 'admin', '--role', 'admin', '--password-stdin', { stdin: `${kAdminPassword}\n` });
  const tokens = { admin: cli('token', 'create', '--user', 'admin').trim() };
  for (const [user, pw] of Object.entries(kPasswords)) {
    cli('user', 'add', user, '--role', 'resident', '--password-stdin', { stdin: `${pw}\n` });
    tokens[user] = cli('token', 'create', '--user', user).trim();
  }
  for (const ext of ['1001', '7001', '7003'])
    cli('extension', 'add', ext, ...(ext.startsWith('7') ? ['--role', 'door'] : []), '--password-stdin',
      { stdin: `secret-${ext}\n` });
  const api = async (user, method, path, body) => {
    const r = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokens[user]}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const doc = await r.json().catch(() => null);
    return { status: r.status, doc };
  };
  const ok = async (user, method, path, body) => {
    const r = await api(user, method, path, body);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} as ${user}: ${r.status} ${JSON.stringify(r.doc)}`);
    return r.doc;
  };
  return { ...server, sipPort, cli, tokens, api, ok };
}

// A baresip door station registered as `ext`, auto-answering, sending a tone (or silence) and dumping what it decodes.
async function startStation(server, ext, amplitude) {
  const dir = join(server.dataDir, `baresip-${ext}`);
  mkdirSync(dir, { recursive: true });
  writeTone(join(dir, 'tone.wav'), 1000, 90, amplitude);
  writeFileSync(join(dir, 'config'), baresipConfig(dir, await freePortPair()));
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${ext}@127.0.0.1:${server.sipPort};transport=udp>;auth_pass=secret-${ext};answermode=auto;regint=600\n`,
  );
  const baresip = spawnBaresip(dir);
  children.push(baresip.child);
  await waitFor(`baresip registered as ${ext}`, async () =>
    (await server.ok('admin', 'GET', '/api/sip/registrations')).registrations?.some((r) => r.extension === ext),
  );
  return {
    dir,
    output: baresip.output,
    // What the station decoded: sndfile's dump-<time>-dec.wav (after stop()).
    heard: () => {
      const dumps = readdirSync(dir).filter((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'));
      assert.ok(dumps.length > 0, `baresip decoded nothing (${readdirSync(dir)})\n${baresip.output().slice(-2000)}`);
      return peakOfWav(join(dir, dumps[0]));
    },
    stop: baresip.stop,
  };
}

// Registers extension 1001 with sipp once per server (a second binding would list two Contacts in the 200 and
// break register_digest.xml's expires check); returns the SIP port the UAS then listens on.
async function registerUas(server) {
  if (server.uasPort) return server.uasPort;
  const port = await sippRegister({ scenario: join(kSipp, 'register_digest.xml'), ext: '1001',
    password: 'secret-1001', sipPort: server.sipPort, cwd: server.dataDir });
  server.uasPort = port;
  return port;
}

// A sipp UAS registered as 1001 that answers with `mediaPort` (a socket of this test) as its RTP port; with `info`
// it requires a SIP INFO application/dtmf-relay Signal=5 (answered 200) before the BYE. Resolves to sipp's exit code.
async function startUas(server, mediaPort, { info: expectInfo = false } = {}) {
  const port = await registerUas(server);
  const ok = () => `
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>`;
  const infoStep = expectInfo
    ? `
  <recv request="INFO" crlf="true">
    <action>
      <ereg regexp="application/dtmf-relay" search_in="hdr" header="Content-Type:" check_it="true" assign_to="ct"/>
      <ereg regexp="Signal=5" search_in="body" check_it="true" assign_to="signal"/>
    </action>
  </recv>
  <Reference variables="ct,signal"/>${ok()}`
    : '';
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="extension 1001: answer a browser's call, ${expectInfo ? 'expect SIP INFO DTMF, ' : ''}wait for BYE">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[
      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=sipp 1 1 IN IP4 [local_ip]
      s=-
      c=IN IP4 [local_ip]
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>${infoStep}
  <recv request="BYE" timeout="40000"/>${ok()}
  <timewait milliseconds="300"/>
</scenario>
`;
  const path = join(server.dataDir, `uas-1001-${expectInfo ? 'info' : 'rtp'}.xml`);
  writeFileSync(path, xml);
  const child = spawn('sipp', ['-sf', path, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-timeout',
    '60s', '-timeout_error', '-trace_err', '-mp', String(await freePort())], { cwd: server.dataDir, stdio: 'ignore' });
  children.push(child);
  return {
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
    errors: () => {
      const f = readdirSync(server.dataDir).find((n) => n.startsWith(`uas-1001-${expectInfo ? 'info' : 'rtp'}`) &&
        n.endsWith('_errors.log'));
      return f ? readFileSync(join(server.dataDir, f), 'utf8').slice(-2000) : '';
    },
  };
}

// The RTP receiver behind the relay: counts packets and collects RFC 4733 events (payload type 101), and sends
// PCMU silence back to whoever sends to it (so a latching relay has our address either way).
async function startRtpReceiver() {
  const sock = createSocket('udp4');
  sockets.push(sock);
  const port = await new Promise((r) => sock.bind(0, '127.0.0.1', () => r(sock.address().port)));
  const state = { packets: 0, events: [] };
  let seq = 0;
  sock.on('message', (msg, from) => {
    if (msg.length < 12 || msg[0] >> 6 !== 2) return;
    state.packets++;
    const pt = msg[1] & 0x7f;
    if (pt === 101 && msg.length >= 16) {
      state.events.push({ event: msg[12], end: Boolean(msg[13] & 0x80), duration: msg.readUInt16BE(14) });
    }
    if (state.packets % 5 === 1) {
      const out = Buffer.alloc(12 + 160, 0xff);
      out[0] = 0x80;
      out[1] = 0;
      out.writeUInt16BE(seq++ & 0xffff, 2);
      out.writeUInt32BE(seq * 160, 4);
      out.writeUInt32BE(0x1234abcd, 8);
      sock.send(out, from.port, from.address);
    }
  });
  return { port, state, close: () => sock.close(() => {}) };
}

async function login(server, page, user, password) {
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('current-user').waitFor();
}

// A logged-in browser whose standing session (opened when the app loads) is ready to be rung.
async function residentBrowser(server, user) {
  const opened = await openPage(browser);
  await login(server, opened.page, user, kPasswords[user]);
  await waitFor(`${user}'s standing session`, async () =>
    (await server.ok(user, 'GET', '/api/webrtc/sessions')).sessions.some((s) => s.state === 'new'),
  );
  return opened;
}

// The newest inbound audio stats of a page's call, or null.
const inboundAudio = (page) =>
  page.evaluate(async () => {
    const pc = window.portierPhone.peerConnection();
    if (!pc) return null;
    for (const s of (await pc.getStats()).values())
      if (s.type === 'inbound-rtp' && s.kind === 'audio')
        return { packetsReceived: s.packetsReceived ?? 0, audioLevel: s.audioLevel ?? 0 };
    return null;
  });

// Waits until the page's inbound audio has packets and a level > 0 (the fake microphone beeps, so poll).
async function hearsSomething(page, what) {
  return waitFor(what, async () => {
    const s = await inboundAudio(page);
    return s && s.packetsReceived > 0 && s.audioLevel > 0 ? s : null;
  });
}

async function pressButton(server, door) {
  for (const value of [1, 0]) await server.ok('admin', 'POST', `/api/sim/lines/${door}.button`, { value });
}

async function answer(page) {
  await page.locator('#phone-answer').waitFor({ timeout: 20000 });
  await page.click('#phone-answer');
  await page.getByTestId('call-panel').getByText('Call connected').waitFor({ timeout: 20000 });
}

async function noLiveSession(server, user) {
  await waitFor(`no live session of ${user}`, async () =>
    (await server.ok(user, 'GET', '/api/webrtc/sessions')).sessions.every((s) => !kLiveStates.includes(s.state)),
  );
}

before(async () => {
  main = await startServer('phone-door-server', [
    'ring_groups:',
    '  - id: "7000"',
    '    members: ["webrtc:alice"]',
    '    ring_timeout: 30',
    '  - id: "7100"',
    '    members: ["webrtc:bob", "webrtc:carol"]',
    '    ring_timeout: 30',
    '    answer: conference',
    'doors:',
    '  - id: front',
    '    station: "7001"',
    '    ring_group: "7000"',
    '  - id: back',
    '    station: "7003"',
    '    ring_group: "7100"',
  ]);
  webrtc = Boolean((await (await fetch(`${main.baseUrl}/api/auth/state`)).json()).features?.webrtc);
  if (webrtc) await main.ok('admin', 'PUT', '/api/users/alice/doors', { doors: ['front'] });
  browser = await launchChromium();
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of sockets) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
  await browser?.close();
  await main?.stop();
  await info?.stop();
});

function skipReason() {
  if (!webrtc) return 'features.webrtc is false: this server has no WebRTC gateway';
  if (!haveTools) return 'baresip or sipp is not installed';
  return null;
}

// --- 1. door ring -> answer -> audio both ways -> Unlock ---------------------------------------------------------
test('a door ring reaches the resident on any page: answer, two-way audio, Unlock opens the relay (audited)', async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const station = await startStation(main, '7001', 8000);
  const { context, page, errors } = await residentBrowser(main, 'alice');
  try {
    await page.getByRole('link', { name: 'Doors', exact: true }).first().click(); // not the Phone page
    await pressButton(main, 'front');
    await page.locator('#phone-answer').waitFor({ timeout: 20000 });
    const panel = page.getByTestId('call-panel');
    assert.match(await panel.getByTestId('call-title').textContent(), /front/i);
    await screenshot(page, 'phone-door-01-incoming');
    await answer(page);
    const inbound = await hearsSomething(page, "the station's tone in alice's browser");
    assert.ok(inbound.packetsReceived > 0 && inbound.audioLevel > 0, JSON.stringify(inbound));
    const { sessions } = await main.ok('alice', 'GET', '/api/webrtc/sessions');
    assert.equal(sessions.filter((s) => s.state === 'in_call').length, 1, JSON.stringify(sessions));

    const before = (await main.ok('admin', 'GET', '/api/sim/lines')).lines.find((l) => l.name === 'front.relay');
    await page.click('#phone-unlock');
    await panel.getByText('Door unlocked').waitFor();
    const relay = (await main.ok('admin', 'GET', '/api/sim/lines')).lines.find((l) => l.name === 'front.relay');
    assert.ok(relay.changes > before.changes, `the relay did not switch: ${JSON.stringify([before, relay])}`);
    const { audit } = await main.ok('admin', 'GET', '/api/audit?order=newest&limit=1');
    assert.deepEqual(
      [audit[0].actor, audit[0].door, audit[0].action, audit[0].result, audit[0].method],
      ['alice', 'front', 'unlock', 'granted', 'web'],
    );
    await sleep(1500); // let the station decode a while of the browser's beeps
    await screenshot(page, 'phone-door-02-in-call');
    await page.click('#phone-hangup');
    await panel.waitFor({ state: 'hidden' });
    await waitFor('no call left', async () => (await main.ok('admin', 'GET', '/api/calls')).calls.length === 0);
    await noLiveSession(main, 'alice');
    assert.deepEqual(withoutFeatureProbes(errors), []);
  } finally {
    await context.close();
    await station.stop();
  }
  const heard = station.heard();
  assert.ok(heard.seconds > 1, `the station received ${heard.seconds} s of audio`);
  assert.ok(heard.peak > 500, `the station received only silence (peak ${heard.peak})`);
});

// --- 2. conference ---------------------------------------------------------------------------------------------------
test('two browsers answer one door call in conference mode and hear each other', async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const station = await startStation(main, '7003', 0); // silent: whatever a browser hears comes from the other
  const bob = await residentBrowser(main, 'bob');
  const carol = await residentBrowser(main, 'carol');
  try {
    await pressButton(main, 'back');
    await answer(bob.page);
    await carol.page.locator('#phone-answer').waitFor({ timeout: 20000 }); // still ringing after bob answered
    // Alone with the silent station, bob hears packets but no sound.
    await waitFor('packets from the station', async () => (await inboundAudio(bob.page))?.packetsReceived > 20);
    await sleep(1500);
    const alone = await inboundAudio(bob.page);
    assert.ok(alone.audioLevel < 0.01, `bob hears sound from a silent station: ${JSON.stringify(alone)}`);
    await answer(carol.page);
    const bobHears = await hearsSomething(bob.page, "carol's microphone in bob's browser");
    const carolHears = await hearsSomething(carol.page, "bob's microphone in carol's browser");
    assert.ok(bobHears.audioLevel > 0 && carolHears.audioLevel > 0, JSON.stringify({ bobHears, carolHears }));
    await screenshot(bob.page, 'phone-door-03-conference');
    await bob.page.click('#phone-hangup');
    await carol.page.click('#phone-hangup');
    await waitFor('no call left', async () => (await main.ok('admin', 'GET', '/api/calls')).calls.length === 0);
    for (const b of [bob, carol]) assert.deepEqual(withoutFeatureProbes(b.errors), []);
  } finally {
    await bob.context.close();
    await carol.context.close();
    await station.stop();
  }
});

// --- 3. RFC 4733 DTMF ------------------------------------------------------------------------------------------------
// The browser's outgoing call to 1001 from the Phone page; returns the open page.
async function callFromPhonePage(server, user) {
  const opened = await openPage(browser);
  await login(server, opened.page, user, kPasswords[user]);
  await opened.page.getByRole('link', { name: 'Phone', exact: true }).first().click();
  await opened.page.locator('#phone-target').waitFor();
  await opened.page.fill('#phone-target', '1001');
  await opened.page.click('#phone-call');
  return opened;
}

test('the keypad sends RFC 4733 events that reach a sipp UAS', async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const rtp = await startRtpReceiver();
  const uas = await startUas(main, rtp.port);
  const { context, page, errors } = await callFromPhonePage(main, 'alice');
  try {
    await page.locator('#phone-status').getByText('Call connected').waitFor({ timeout: 20000 });
    await waitFor('RTP at the UAS', () => rtp.state.packets > 10);
    assert.deepEqual(rtp.state.events, [], 'telephone-events before a key was pressed');
    await page.click('[data-digit="5"]');
    await waitFor('the end of event 5 at the UAS', () => rtp.state.events.some((e) => e.end), 10000);
    const digits = new Set(rtp.state.events.map((e) => e.event));
    assert.deepEqual([...digits], [5], JSON.stringify(rtp.state.events));
    assert.ok(Math.max(...rtp.state.events.map((e) => e.duration)) >= 400, 'an event of at least 50 ms (8 kHz)');
    await page.click('#phone-hangup');
    await page.locator('#phone-status').getByText('Call ended').waitFor();
    assert.equal(await uas.exit, 0, `the UAS did not get its BYE: ${uas.errors()}`);
    await noLiveSession(main, 'alice');
    assert.deepEqual(withoutFeatureProbes(errors), []);
  } finally {
    uas.kill();
    rtp.close();
    await context.close();
  }
});

// --- 4. wrong fingerprint, released ports, SIP INFO DTMF -------------------------------------------------------------
test('a wrong DTLS fingerprint fails cleanly and frees the ports; keypad DTMF goes out as SIP INFO', async (t) => {
  if (skipReason()) return t.skip(skipReason());
  info = await startServer('phone-info-server', [], {
    webrtcPorts: 4, // exactly one browser endpoint (two port pairs)
    webrtcExtra: ['    dtmf:', '      mode: SIP_INFO'],
  });
  const rtp = await startRtpReceiver();
  let uas = await startUas(info, rtp.port);
  // The browser's offer reaches the server with a fingerprint that is not its certificate's.
  const munged = await openPage(browser);
  try {
    await munged.page.route('**/api/webrtc/offer', async (route) => {
      const body = JSON.parse(route.request().postData());
      body.sdp = body.sdp.replace(/a=fingerprint:sha-256 [0-9A-F:]+/g, `a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}`);
      await route.continue({ postData: JSON.stringify(body) });
    });
    await login(info, munged.page, 'alice', kPasswords.alice);
    await munged.page.getByRole('link', { name: 'Phone', exact: true }).first().click();
    await munged.page.fill('#phone-target', '1001');
    await munged.page.click('#phone-call');
    await munged.page.waitForFunction(
      () => window.portierPhone.state() === 'idle' && window.portierPhone.statusLog.length > 4,
      null,
      { timeout: 20000 },
    );
    const status = await munged.page.evaluate(() => window.portierPhone.lastStatus());
    console.log(`# wrong fingerprint: the phone said "${status}"`);
    assert.match(status, /fail/i, `a clear failure: ${status}`);
    assert.doesNotMatch(status, /busy|not found/i, `a misleading failure: ${status}`);
    assert.equal(await munged.page.evaluate(() => window.portierPhone.statusLog.includes('Call connected')), false);
    await screenshot(munged.page, 'phone-door-04-fingerprint');
    await noLiveSession(info, 'alice');
    await waitFor('no call left', async () => (await info.ok('admin', 'GET', '/api/calls')).calls.length === 0);
  } finally {
    await munged.context.close();
    uas.kill();
  }
  // Good call on the same server: it only gets media ports if the failed endpoint gave its ports back.
  uas = await startUas(info, rtp.port, { info: true });
  const { context, page, errors } = await callFromPhonePage(info, 'alice');
  try {
    await page.locator('#phone-status').getByText('Call connected').waitFor({ timeout: 20000 });
    await waitFor('inbound RTP from the UAS side', async () => (await inboundAudio(page))?.packetsReceived > 0);
    await page.click('[data-digit="5"]');
    await sleep(1000);
    assert.deepEqual(rtp.state.events, [], 'SIP_INFO mode sent RFC 4733 events too');
    await page.click('#phone-hangup');
    await page.locator('#phone-status').getByText('Call ended').waitFor();
    assert.equal(await uas.exit, 0, `the UAS did not get INFO Signal=5 and its BYE: ${uas.errors()}`);
    assert.deepEqual(withoutFeatureProbes(errors), []);
  } finally {
    uas.kill();
    rtp.close();
    await context.close();
  }
});
