// Browser phone E2E (issue 8): the Phone page against a real `portier serve` with features.webrtc on.
//   1. the guide's status texts appear in order (and the [VERBOSE] console lines with WEBRTC_VERBOSE_LOGGING);
//   2. the browser calls extension 1001, a baresip that registered with Portier and auto-answers: "Call connected",
//      getStats shows inbound RTP with audio level > 0, baresip decoded the browser's audio; hang-up cleans up the
//      session and the call. Skipped ONLY when /api/auth/state says features.webrtc is false (no gateway built in);
//   3. baresip hangs up: the browser shows "Call ended", the call and the session end, the media ports are freed;
//   4. a browser that refuses the microphone gets the clear message.
// Screenshots and logs to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { baresipCommand, baresipConfig, peakOfWav, spawnBaresip, waitFor, writeTone } from './lib/media.mjs';
import {
  freePort, freePortPair, launchChromium, openPage,
  portierCli, screenshot, startPortier, udpPortsHeld, withoutFeatureProbes,
} from './lib/portier.mjs';

const kAdminPassword = 'correct horse battery';
const kExtPassword = 'secret-1001'; // no spaces: baresip account lines cannot carry them
const kGuideTexts = ['Requesting microphone access...', 'Microphone access granted', 'Creating WebRTC session...'];
const kLiveStates = ['in_call', 'calling', 'ringing', 'connected', 'connecting'];
let server;
let browser;
let sipPort;
let token;
let webrtc = false;
const children = [];

const cli = (...args) => portierCli(server.configPath, ...args);

async function apiGet(path) {
  const r = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
  return r.json();
}

// baresip registered as 1001 with Portier, auto-answering, sending a 1 kHz tone and dumping what it decodes.
async function startBaresip(name = 'baresip') {
  const dir = join(server.dataDir, name);
  mkdirSync(dir, { recursive: true });
  writeTone(join(dir, 'tone.wav'), 1000, 60);
  const ctrl = await freePort();
  const config = baresipConfig(dir, await freePortPair(), ctrl);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:1001@127.0.0.1:${sipPort};transport=udp>;auth_pass=${kExtPassword};answermode=auto;regint=600\n`,
  );
  const baresip = spawnBaresip(dir);
  children.push(baresip.child);
  return {
    dir,
    output: baresip.output,
    command: (command, params) => baresipCommand(ctrl, command, params),
    stop: baresip.stop,
  };
}

async function login(page) {
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', kAdminPassword);
  await page.click('button[type=submit]');
  await page.getByTestId('current-user').waitFor();
}

async function openPhone(page) {
  await page.getByRole('link', { name: 'Phone', exact: true }).first().click();
  await page.locator('#phone-target').waitFor();
}

// Waits for baresip's registration as 1001, then opens the Phone page logged in as admin.
async function phoneWithRegisteredPeer() {
  await waitFor('baresip registered as 1001', async () =>
    (await apiGet('/api/sip/registrations')).registrations?.some((r) => r.extension === '1001'),
  );
  const opened = await openPage(browser);
  await login(opened.page);
  await openPhone(opened.page);
  return opened;
}

// The statuses the phone showed so far (phone.js keeps every one in order).
const statusLog = (page) => page.evaluate(() => window.portierPhone.statusLog.slice());

before(async () => {
  sipPort = await freePort();
  server = await startPortier({
    name: 'phone-server',
    sipListen: [`udp:127.0.0.1:${sipPort}`],
    extraConfig: ['features:', '  webrtc:', '    enabled: true', '    verbose_logging: true', '    stun_servers: []'].join(
      '\n',
    ),
  });
  cli('user', 'add', 'admin', '--role', 'admin', '--password-stdin', { stdin: `${kAdminPassword}\n` });
  cli('extension', 'add', '1001', '--password-stdin', { stdin: `${kExtPassword}\n` });
  token = cli('token', 'create', '--user', 'admin').trim();
  webrtc = Boolean((await (await fetch(`${server.baseUrl}/api/auth/state`)).json()).features?.webrtc);
  browser = await launchChromium();
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await browser?.close();
  await server?.stop();
});

test("the Phone page shows the guide's status texts in order", async () => {
  const { context, page, errors } = await openPage(browser);
  const verbose = [];
  page.on('console', (m) => m.text().startsWith('[VERBOSE]') && verbose.push(m.text()));
  await login(page);
  await openPhone(page);
  await page.evaluate(() => (window.WEBRTC_VERBOSE_LOGGING = true));
  await page.fill('#phone-target', '1999'); // no such extension
  await page.click('#phone-call');
  const status = page.locator('#phone-status');
  if (webrtc) {
    await page.waitForFunction(() => window.portierPhone.statusLog.includes('Calling extension 1999...'));
    await page.waitForFunction(() => window.portierPhone.state() === 'idle', null, { timeout: 15000 });
    const log = await statusLog(page);
    assert.deepEqual(log.slice(0, 4), [...kGuideTexts, 'Calling extension 1999...']);
    assert.match(log.at(-1), /1999|failed|not found/i, `the failure is explained: ${log.at(-1)}`);
  } else {
    await status.getByText('Call failed: WebRTC is disabled').waitFor();
    assert.deepEqual(await statusLog(page), [...kGuideTexts, 'Call failed: WebRTC is disabled']);
  }
  assert.equal(await page.locator('#phone-call').isEnabled(), true);
  for (const line of ['[VERBOSE] makeCall() called:', '[VERBOSE] Requesting user media...', '[VERBOSE] User media granted:',
    '[VERBOSE] Creating WebRTC session:'])
    assert.ok(verbose.some((v) => v.startsWith(line)), `console lacks ${line}: ${verbose.join('\n')}`);
  await screenshot(page, 'phone-01-flow');
  // The failed call's requests (503 without a gateway, 404 for the unknown extension) are expected errors.
  const unexpected = withoutFeatureProbes(errors).filter((e) => !/status of (404|503) .* @ .*\/api\/webrtc\//.test(e));
  assert.deepEqual(unexpected, []);
  await context.close();
});

test('the browser calls a baresip extension and audio flows both ways', async (t) => {
  if (!webrtc) return t.skip('features.webrtc is false: this server has no WebRTC gateway');
  const peer = await startBaresip();
  try {
    const { context, page, errors } = await phoneWithRegisteredPeer();
    await page.fill('#phone-target', '1001');
    await page.click('#phone-call');
    await page.locator('#phone-status').getByText('Call connected').waitFor({ timeout: 20000 });
    assert.deepEqual((await statusLog(page)).slice(0, 5), [...kGuideTexts, 'Calling extension 1001...', 'Call connected']);
    await page.locator('#phone-hangup').waitFor();
    const stats = await page.waitForFunction(
      async () => {
        const report = await window.portierPhone.peerConnection().getStats();
        for (const s of report.values())
          if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0 && s.audioLevel > 0)
            return { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel };
        return null;
      },
      null,
      { timeout: 15000, polling: 250 },
    );
    const inbound = await stats.jsonValue();
    assert.ok(inbound.packetsReceived > 0 && inbound.audioLevel > 0, JSON.stringify(inbound));
    // One session in the call; the others are standing sessions (state "new") that make each open app reachable.
    const during = await apiGet('/api/webrtc/sessions');
    assert.equal(during.sessions.filter((s) => s.state === 'in_call').length, 1, JSON.stringify(during));
    assert.ok(during.sessions.every((s) => ['in_call', 'new'].includes(s.state)), JSON.stringify(during));
    await sleep(2000); // let baresip decode a while of the browser's audio
    await screenshot(page, 'phone-02-connected');

    await page.click('#phone-hangup');
    await page.locator('#phone-status').getByText('Call ended').waitFor();
    assert.equal(await page.evaluate(() => window.portierPhone.state()), 'idle');
    await waitFor('no call left', async () => (await apiGet('/api/calls')).calls.length === 0, 10000);
    await waitFor('no live browser session', async () =>
      (await apiGet('/api/webrtc/sessions')).sessions.every((s) => !kLiveStates.includes(s.state)),
    );
    await screenshot(page, 'phone-03-ended');
    assert.deepEqual(withoutFeatureProbes(errors), []);
    await context.close();
    await sleep(500);
  } finally {
    await peer.stop();
  }
  // sndfile dumps what baresip decoded as dump-<time>-dec.wav: the browser's fake microphone is a beeping tone.
  const dumps = readdirSync(peer.dir).filter((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'));
  assert.ok(dumps.length > 0, `baresip decoded nothing (no dump in ${readdirSync(peer.dir)})\n${peer.output().slice(-2000)}`);
  const heard = peakOfWav(join(peer.dir, dumps[0]));
  assert.ok(heard.seconds > 1, `baresip received ${heard.seconds} s of audio`);
  assert.ok(heard.peak > 500, `baresip received only silence (peak ${heard.peak})`);
});

test('baresip hangs up: the browser shows the end, the call, the session and its ports are released', async (t) => {
  if (!webrtc) return t.skip('features.webrtc is false: this server has no WebRTC gateway');
  const peer = await startBaresip('baresip-remote-hangup');
  try {
    const { context, page, errors } = await phoneWithRegisteredPeer();
    await waitFor('the standing session', async () => (await apiGet('/api/webrtc/sessions')).sessions.length > 0);
    const idlePorts = udpPortsHeld(server.pid);
    await page.fill('#phone-target', '1001');
    await page.click('#phone-call');
    await page.locator('#phone-status').getByText('Call connected').waitFor({ timeout: 20000 });
    const inCallPorts = udpPortsHeld(server.pid);
    assert.ok(inCallPorts.length >= idlePorts.length + 3, `media ports of the call: ${idlePorts} -> ${inCallPorts}`);
    await sleep(1000);
    await peer.command('hangup'); // baresip sends BYE
    await page.locator('#phone-status').getByText('Call ended').waitFor({ timeout: 10000 });
    assert.equal(await page.evaluate(() => window.portierPhone.state()), 'idle');
    await waitFor('no call left', async () => (await apiGet('/api/calls')).calls.length === 0, 10000);
    await waitFor('no live browser session', async () =>
      (await apiGet('/api/webrtc/sessions')).sessions.every((s) => !kLiveStates.includes(s.state)),
    );
    await waitFor('the media ports released', async () => {
      const now = udpPortsHeld(server.pid);
      return now.every((p) => idlePorts.includes(p)) ? now : null;
    });
    assert.deepEqual(withoutFeatureProbes(errors), []);
    await context.close();
  } finally {
    await peer.stop();
  }
});

test('a refused microphone gets a clear message', async () => {
  const denied = await launchChromium({ fakeMediaUi: false });
  try {
    const context = await denied.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(15000);
    await context.clearPermissions();
    const page = await context.newPage();
    await login(page);
    await openPhone(page);
    await page.click('#phone-call');
    await page.locator('#phone-status').getByText('Microphone access denied').waitFor();
    assert.deepEqual(await statusLog(page), [
      'Requesting microphone access...',
      'Microphone access denied. Allow the microphone for this site in the browser settings, then try again.',
    ]);
    assert.equal(await page.evaluate(() => window.portierPhone.state()), 'idle');
    if (webrtc) {
      // Only standing sessions (state "new", for incoming calls): no call session was opened without a microphone.
      const { sessions } = await apiGet('/api/webrtc/sessions');
      assert.deepEqual(sessions.filter((s) => s.state !== 'new'), [], 'a session without a microphone');
    }
    await screenshot(page, 'phone-04-mic-denied');
  } finally {
    await denied.close();
  }
});

// A stand-in for the gateway inside the page: /api/webrtc/* are answered by the test, the SDP answer comes from a
// second RTCPeerConnection (with the fake microphone) in the same page, and phone events are pushed into the page's
// real event WebSocket. So the shell's incoming-call path is tested without the server's gateway.
test('an incoming door call rings on any page: answer, keypad, volume, mute, unlock, remote hang-up, decline', async () => {
  const { context, page, errors } = await openPage(browser);
  const sockets = [];
  await page.routeWebSocket(/\/api\/events/, (ws) => {
    ws.connectToServer();
    sockets.push(ws);
  });
  const seen = []; // "METHOD path body" of every request the stand-in answered
  await page.route(/\/api\/(webrtc\/|doors\/front\/unlock)/, async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    const body = req.postData() ? JSON.parse(req.postData()) : {};
    seen.push(`${req.method()} ${path} ${JSON.stringify(body)}`);
    let reply = { success: true };
    if (path === '/api/webrtc/config') {
      reply = { success: true, config: { dtmf_mode: 'SIP_INFO', dtmf_duration_ms: 160 }, ice_servers: { iceServers: [] } };
    } else if (path === '/api/webrtc/offer') {
      const sdp = await page.evaluate(async (offer) => {
        const pc = new RTCPeerConnection();
        window.standInGateway = pc;
        const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
        for (const t of mic.getTracks()) pc.addTrack(t, mic);
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        await pc.setLocalDescription(await pc.createAnswer());
        await new Promise((done) => {
          const check = () => pc.iceGatheringState === 'complete' && done();
          pc.onicegatheringstatechange = check;
          check();
        });
        return pc.localDescription.sdp;
      }, body.sdp);
      reply = { success: true, sdp };
    } else if (path === '/api/webrtc/candidate' && body.candidate?.candidate) {
      await page.evaluate((c) => window.standInGateway.addIceCandidate(c), body.candidate);
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(reply) });
  });
  await login(page);
  await page.getByRole('link', { name: 'Doors', exact: true }).first().click(); // not the Phone page
  await waitFor('the event socket', () => sockets.length > 0);
  await sleep(500);
  const snapshot = 'data:image/svg+xml,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>');
  const event = { type: 'webrtc', session_id: 'gw-1', call_id: 'c-1', reason: '', peer: 'Front door', door: 'front' };
  sockets[0].send(JSON.stringify({ ...event, state: 'incoming', snapshot_url: snapshot }));

  const panel = page.getByTestId('call-panel');
  await page.locator('#phone-answer').waitFor();
  assert.equal(await page.locator('#phone-decline').isVisible(), true);
  assert.equal(await panel.getByTestId('call-title').textContent(), 'Door call: Front door');
  assert.equal(await panel.locator('img.call-snapshot').getAttribute('src'), snapshot);
  await screenshot(page, 'phone-05-incoming');
  await page.click('#phone-answer');
  await panel.getByText('Call connected').waitFor();
  assert.ok(seen.some((s) => s.startsWith('POST /api/webrtc/answer {"session_id":"gw-1","call_id":"c-1"}')), seen.join('\n'));
  await page.waitForFunction(
    async () => {
      const report = await window.portierPhone.peerConnection().getStats();
      return [...report.values()].some((s) => s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0);
    },
    null,
    { timeout: 15000, polling: 250 },
  );
  await page.click('[data-digit="5"]'); // dtmf_mode SIP_INFO: through the server
  await waitFor('the DTMF request', () => seen.some((s) => s.startsWith('POST /api/webrtc/dtmf {"session_id":"gw-1","digits":"5"}')));
  await page.locator('#phone-volume').fill('0.3');
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="phone-remote-audio"]').volume), 0.3);
  await page.click('#phone-mute');
  await page.locator('#phone-mute').getByText('Unmute').waitFor();
  const enabled = await page.evaluate(() =>
    window.portierPhone.peerConnection().getSenders().map((s) => s.track?.enabled),
  );
  assert.deepEqual(enabled, [false]);
  await page.click('#phone-unlock');
  await panel.getByText('Door unlocked').waitFor();
  assert.ok(seen.some((s) => s.startsWith('POST /api/doors/front/unlock')), seen.join('\n'));
  await screenshot(page, 'phone-06-in-call');

  sockets[0].send(JSON.stringify({ ...event, state: 'ended', reason: 'hangup', snapshot_url: '' }));
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => window.portierPhone.lastStatus()), 'Call ended by the other side');

  sockets[0].send(JSON.stringify({ ...event, call_id: 'c-2', state: 'incoming', snapshot_url: '' }));
  await page.click('#phone-decline');
  await panel.waitFor({ state: 'hidden' });
  await waitFor('the decline request', () =>
    seen.some((s) => s.startsWith('POST /api/webrtc/decline {"session_id":"gw-1","call_id":"c-2"}')),
  );
  assert.deepEqual(withoutFeatureProbes(errors), []);
  await context.close();
});
