// Devices E2E (issue 5): a server with the embedded MQTT broker; the admin adds a device on the Devices page, copies
// the credentials shown once, the reference device (portier-lock-sim) connects with them and the row turns online;
// an unlock from the Doors page is acknowledged by the device. Screenshots to $E2E_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launchChromium, openPage, screenshot, startPortier, withoutFeatureProbes } from './lib/portier.mjs';

const kAdminPassword = 'correct horse battery';
let server;
let browser;
let sim;
let brokerPort;

before(async () => {
  brokerPort = await freePort();
  server = await startPortier({
    name: 'devices-server',
    extraConfig: [
      'mqtt:',
      `  broker: "127.0.0.1:${brokerPort}"`,
      '  embedded_broker: true',
      'doors:',
      '  - id: gate',
      '    name: Garden gate',
      '    relay: {driver: mqtt, device: gate, output: 1}',
    ].join('\n'),
  });
  browser = await launchChromium();
});

after(async () => {
  sim?.kill('SIGKILL');
  await browser?.close();
  await server?.stop();
});

test('a device added on the Devices page connects and opens its door', async (t) => {
  if (spawnSync('which', ['mosquitto'], { encoding: 'utf8' }).status !== 0)
    return t.skip('mosquitto is not installed');
  const add = spawnSync(process.env.PORTIER_BIN, ['user', 'add', 'admin', '--role', 'admin', '--password-stdin',
    '--config', server.configPath], { input: `${kAdminPassword}\n`, encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);

  const { context, page, errors } = await openPage(browser);
  await page.goto(`${server.baseUrl}/#/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', kAdminPassword);
  await page.click('button[type=submit]');
  await page.locator('nav').getByRole('link', { name: 'Devices' }).click();  // in the navigation: features.devices
  await page.fill('input[name=name]', 'gate');
  await page.getByRole('button', { name: 'Add device' }).click();
  const box = page.locator('[data-credentials="gate"]');
  await box.waitFor();
  const values = await box.locator('input').evaluateAll((inputs) => inputs.map((i) => i.value));
  const labels = await box.locator('label').allInnerTexts();
  const creds = Object.fromEntries(labels.map((l, i) => [l.trim(), values[i]]));
  assert.ok(creds.password && creds.command_key, JSON.stringify(labels));
  const row = page.locator('tr[data-device="gate"]');
  await row.waitFor();
  assert.match(await row.innerText(), /offline/);
  await screenshot(page, 'devices-01-added');

  const file = join(server.dataDir, 'gate.json');
  writeFileSync(file, JSON.stringify({ device: 'gate', ...creds }));
  sim = spawn(process.env.PORTIER_LOCK_SIM, ['--credentials', file, '--broker', `127.0.0.1:${brokerPort}`]);
  let simOut = '';
  sim.stdout.on('data', (d) => (simOut += d));
  await page.locator('tr[data-device="gate"][data-online="true"]').waitFor({ timeout: 15000 });
  await screenshot(page, 'devices-02-online');

  await page.getByRole('link', { name: 'Doors' }).first().click();
  await page.getByRole('button', { name: /unlock/i }).first().click();
  for (let i = 0; i < 50 && !simOut.includes('"event":"unlock"'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(simOut, /"event":"unlock"/);
  assert.deepEqual(withoutFeatureProbes(errors), []);
  await context.close();
});
