// Devices: the MQTT door devices (WiFi locks) — online/offline, protocol, broker connection — with add, rotate and
// remove. Credentials are shown once, right after add or rotate (GET /api/devices never returns secrets).
// legacy-doorlock devices carry an "insecure" badge: their security rests on a secret topic (docs/mqtt-protocol.md).
import { h, replaceChildren, timeElement } from '../dom.js';
import { icon } from '../icons.js';
import {
  alertBox,
  card,
  confirmDialog,
  copyField,
  emptyState,
  field,
  loading,
  pageHeader,
  selectField,
  tableHead,
  withBusy,
} from '../ui.js';

const kRefreshMs = 5000;

function credentialsBox(title, creds) {
  const rows = Object.entries(creds)
    .filter(([k]) => !['device', 'protocol'].includes(k))
    .map(([k, v]) => copyField({ label: k, value: v }));
  return h(
    'div',
    { class: 'stack', dataset: { credentials: creds.device } },
    h('p', { class: 'strong' }, title),
    h('p', { class: 'muted' }, 'Shown once: put these into the device now. Portier cannot show them again.'),
    ...rows,
  );
}

export function render(root, ctx) {
  const alert = alertBox();
  const status = h('p', { class: 'muted', dataset: { role: 'broker' } });
  const list = h('div', {}, loading());
  const shown = h('div', {});

  async function act(fn, button) {
    await withBusy(button, async () => {
      try {
        await fn();
        await refresh();
      } catch (err) {
        alert.error(err.message);
      }
    });
  }

  function row(d) {
    const rotate = h('button', { type: 'button', class: 'btn btn-secondary btn-small' }, icon('refresh'), h('span', {}, 'Rotate'));
    const remove = h('button', { type: 'button', class: 'btn btn-danger-ghost btn-small', 'aria-label': `Remove ${d.name}` },
      icon('trash'), h('span', {}, 'Remove'));
    rotate.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `New credentials for ${d.name}?`,
        message: 'The old password and command key stop working at once; the device needs the new ones.',
        confirmLabel: 'Rotate',
      });
      if (!ok) return;
      await act(async () => {
        const r = await ctx.api.http.post(`/api/devices/${encodeURIComponent(d.name)}/rotate`);
        replaceChildren(shown, credentialsBox(`New credentials for ${d.name}`, r.credentials));
      }, rotate);
    });
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Remove ${d.name}?`,
        message: 'Its broker account is deleted; doors on it stop working until it is added again.',
        confirmLabel: 'Remove device',
        danger: true,
      });
      if (!ok) return;
      await act(() => ctx.api.http.del(`/api/devices/${encodeURIComponent(d.name)}`), remove);
    });
    return h(
      'tr',
      { dataset: { device: d.name, online: String(d.online) } },
      h('td', { 'data-label': 'Device' }, h('span', { class: 'strong' }, d.name),
        d.insecure ? h('span', { class: 'badge', title: 'Security rests on a secret topic only' }, ' insecure') : null),
      h('td', { 'data-label': 'Status' }, h('span', { class: d.online ? 'role role-admin' : 'role' }, d.online ? 'online' : 'offline')),
      h('td', { 'data-label': 'Protocol' }, d.protocol),
      h('td', { 'data-label': 'Doors' }, d.doors.join(', ') || '—'),
      h('td', { 'data-label': 'Last seen' }, timeElement(d.last_seen, 'never')),
      h('td', { 'data-label': 'Commands' }, `${d.commands} sent, ${d.refusals} refused, ${d.timeouts} timed out`),
      h('td', { class: 'actions' }, rotate, remove),
    );
  }

  async function refresh() {
    try {
      const doc = await ctx.api.http.get('/api/devices');
      alert.clear();
      status.textContent = doc.connected ? `Connected to the MQTT broker ${doc.broker}.` : `MQTT disconnected: retrying ${doc.broker}…`;
      status.className = doc.connected ? 'muted' : 'alert alert-error';
      const devices = doc.devices ?? [];
      replaceChildren(
        list,
        devices.length
          ? h('table', { class: 'table table-stack' },
              tableHead('Device', 'Status', 'Protocol', 'Doors', 'Last seen', 'Commands', h('span', { class: 'visually-hidden' }, 'Actions')),
              h('tbody', {}, ...devices.map(row)))
          : emptyState('No devices yet: add one below or with `portier device add NAME`.'),
      );
    } catch (err) {
      alert.error(`Could not load the devices: ${err.message}`);
    }
  }

  const name = field({ label: 'Device name', name: 'name', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    hint: 'a-z, 0-9, _ and -, at most 32; also the broker user name and topic segment.' });
  const protocol = selectField({
    label: 'Protocol',
    name: 'protocol',
    value: 'native',
    options: [
      ['native', 'Native (signed, acknowledged commands)'],
      ['legacy-doorlock', 'Legacy door-lock firmware (insecure)'],
    ],
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Add device');
  const form = h('form', { class: 'form form-grid', novalidate: true }, name.wrapper, protocol.wrapper,
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.clear();
    const n = name.input.value.trim();
    if (!n) {
      alert.error('Enter a device name.');
      return;
    }
    await act(async () => {
      const r = await ctx.api.http.post('/api/devices', { name: n, protocol: protocol.input.value });
      form.reset();
      replaceChildren(shown, credentialsBox(`Credentials for ${n}`, r.credentials));
    }, submit);
  });

  root.append(
    pageHeader('Devices', 'WiFi locks and relays on MQTT. A door on an offline device fails at once.'),
    alert.el,
    h('div', { class: 'stack' }, card('Devices', status, list), card('Add a device', form, shown)),
  );
  refresh();
  const timer = setInterval(refresh, kRefreshMs);
  const unsubscribe = ctx.events.subscribe((event) => {
    if (['device_online', 'device_offline'].includes(event.type)) refresh();
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
