// Helpers the browser-phone E2E tests share: polling, 8 kHz WAV tones for baresip's aufile source, the loudest
// sample of what baresip's sndfile dumped, and the headless baresip config (G.711, aufile in/out, sndfile dumps).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// 8 kHz mono 16-bit WAV of a sine (aufile needs 8 kHz for G.711); amplitude 0 gives silence.
export function writeTone(path, freq, seconds, amplitude = 8000) {
  const rate = 8000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    buf.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate)), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

// The loudest 16-bit sample and the length of a WAV baresip's sndfile wrote (data after the 44-byte header).
export function peakOfWav(path) {
  const data = readFileSync(path);
  let peak = 0;
  for (let i = 44; i + 1 < data.length; i += 2) peak = Math.max(peak, Math.abs(data.readInt16LE(i)));
  return { peak, seconds: (data.length - 44) / 2 / 8000 };
}

// A headless baresip config in `dir`: SIP on 127.0.0.1:`sipPort`, tone.wav as the microphone, played.wav as the
// speaker, decoded audio dumped by sndfile into `dir`; with `ctrlPort`, commands over ctrl_tcp (baresipCommand).
export function baresipConfig(dir, sipPort, ctrlPort = 0) {
  const ctrl = ctrlPort ? ['module_app\t\tctrl_tcp.so', `ctrl_tcp_listen\t\t127.0.0.1:${ctrlPort}`] : [];
  return [
    ...ctrl,
    'poll_method\t\tepoll',
    `sip_listen\t\t127.0.0.1:${sipPort}`,
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\tsndfile.so',
    `snd_path\t\t${dir}`,
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    `audio_player\t\taufile,${join(dir, 'played.wav')}`,
    `audio_source\t\taufile,${join(dir, 'tone.wav')}`,
    `audio_alert\t\taufile,${join(dir, 'played.wav')}`,
    'rtp_timeout\t\t0',
    '',
  ].join('\n');
}

// Sends one ctrl_tcp command (a JSON netstring) to baresip, e.g. 'hangup'; resolves to its reply text.
export function baresipCommand(ctrlPort, command, params = '') {
  const body = JSON.stringify({ command, params, token: 't' });
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port: ctrlPort }, () =>
      socket.write(`${Buffer.byteLength(body)}:${body},`),
    );
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => {
      reply += d;
      socket.end();
    });
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

// Starts baresip on the config dir `dir`, keeping its output for failure messages. `child` is for the caller's
// after() hook; stop() ends it (SIGTERM, SIGKILL after 5 s).
export function spawnBaresip(dir) {
  const child = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
