// Guest passes: create a link that opens chosen doors for a while (with an optional use limit, weekly schedule and
// PIN), copy it or show its QR code, and manage the passes you made (administrators see everyone's). The link's
// secret is shown only when it is created (or replaced with "New link"): the server keeps only its hash.
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, card, confirmDialog, copyField, emptyState, field, loading, pageHeader, tableHead, withBusy } from '../ui.js';

const kDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const kDayNames = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const kStatusText = {
  upcoming: 'Upcoming',
  active: 'Active',
  exhausted: 'Used up',
  expired: 'Expired',
  revoked: 'Revoked',
};

// "YYYY-MM-DDTHH:MM" in the browser's clock, for datetime-local inputs.
function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// The site wall time of an ISO string with offset ("2026-12-24T18:00:00+01:00" -> "2026-12-24T18:00").
const siteWallTime = (iso) => (iso ?? '').slice(0, 16);
const showTime = (iso) => siteWallTime(iso).replace('T', ' ');

function scheduleText(schedule) {
  if (!schedule?.length) return 'any time';
  return schedule.map((w) => `${w.days.map((d) => kDayNames[d] ?? d).join(', ')} ${w.from}–${w.to}`).join('; ');
}

function linkBox(url) {
  const qrSvg = `/api/qr?format=svg&text=${encodeURIComponent(url)}`;
  const qrPng = `/api/qr?format=png&scale=10&text=${encodeURIComponent(url)}`;
  return h(
    'div',
    { class: 'pass-link' },
    copyField({ label: 'Guest link', value: url }),
    h(
      'div',
      { class: 'pass-qr' },
      h('img', { src: qrSvg, alt: 'QR code of the guest link', width: 200, height: 200, class: 'qr-image' }),
      h('a', { href: qrPng, download: 'guest-pass.png', class: 'btn btn-secondary btn-small', id: 'qr-png' }, 'Download QR (PNG)'),
    ),
    h('p', { class: 'muted' }, 'Send this link to your guest. It is shown only now; "New link" makes another one and the old one stops working.'),
  );
}

export function render(root, ctx) {
  const alert = alertBox();
  const result = h('div', { class: 'pass-result', hidden: true });
  const list = h('div', {}, loading());
  let doors = [];
  let timezone = '';
  let editing = null; // the pass being edited, or null when creating

  const label = field({ label: "Guest's name", name: 'label', maxlength: 100, placeholder: 'e.g. Anna (flat 2, Sat–Mon)' });
  const doorBox = h('fieldset', { class: 'field pass-doors' }, h('legend', {}, 'Doors'));
  const from = field({ label: 'Valid from', name: 'valid_from', type: 'datetime-local' });
  const until = field({ label: 'Valid until', name: 'valid_until', type: 'datetime-local' });
  const uses = field({
    label: 'Maximum openings',
    name: 'max_uses',
    type: 'number',
    min: 1,
    max: 100000,
    required: false,
    hint: 'Empty: no limit.',
  });
  const pin = field({
    label: 'PIN (optional)',
    name: 'pin',
    inputmode: 'numeric',
    pattern: '[0-9]{4,8}',
    maxlength: 8,
    required: false,
    autocomplete: 'off',
    hint: '4–8 digits the guest must type; send it separately from the link.',
  });
  const note = field({ label: 'Note (for hosts)', name: 'note', maxlength: 1000, required: false });
  const scheduleOn = h('input', { type: 'checkbox', name: 'schedule_on', id: 'pass-schedule-on' });
  const dayBoxes = kDays.map((d) => h('input', { type: 'checkbox', value: d, checked: !['sat', 'sun'].includes(d) }));
  const schedFrom = h('input', { type: 'time', value: '08:00', 'aria-label': 'Opens from' });
  const schedTo = h('input', { type: 'time', value: '18:00', 'aria-label': 'Opens until' });
  const schedule = h(
    'fieldset',
    { class: 'field pass-schedule' },
    h('legend', {}, h('label', {}, scheduleOn, 'Only on some days and hours')),
    h(
      'div',
      { class: 'pass-schedule-controls', hidden: true },
      h('div', { class: 'pass-days' }, dayBoxes.map((b) => h('label', { class: 'check-chip' }, b, h('span', {}, kDayNames[b.value])))),
      h('div', { class: 'pass-hours' }, schedFrom, h('span', {}, '–'), schedTo),
    ),
  );
  const scheduleControls = schedule.querySelector('.pass-schedule-controls');
  const showSchedule = () => (scheduleControls.hidden = !scheduleOn.checked);
  scheduleOn.addEventListener('change', showSchedule);
  const tzHint = h('p', { class: 'hint' });
  const submit = h('button', { type: 'submit', class: 'btn', id: 'pass-submit' }, icon('guest'), h('span', {}, 'Create pass'));
  const cancelEdit = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, 'Cancel');
  const form = h(
    'form',
    { class: 'form', novalidate: true, id: 'pass-form' },
    label.wrapper,
    doorBox,
    h('div', { class: 'form-row' }, from.wrapper, until.wrapper),
    tzHint,
    uses.wrapper,
    pin.wrapper,
    schedule,
    note.wrapper,
    h('div', { class: 'form-actions' }, submit, cancelEdit),
  );

  function resetForm() {
    editing = null;
    form.reset();
    const now = new Date();
    from.input.value = localInputValue(now);
    until.input.value = localInputValue(new Date(now.getTime() + 7 * 24 * 3600 * 1000));
    doorBox.querySelectorAll('input').forEach((b) => (b.checked = doors.length === 1));
    submit.lastChild.textContent = 'Create pass';
    cancelEdit.hidden = true;
    pin.input.placeholder = '';
    showSchedule();
  }

  function edit(pass) {
    editing = pass;
    label.input.value = pass.label;
    doorBox.querySelectorAll('input').forEach((b) => (b.checked = pass.doors.includes(b.value)));
    from.input.value = siteWallTime(pass.valid_from);
    until.input.value = siteWallTime(pass.valid_until);
    uses.input.value = pass.max_uses ?? '';
    pin.input.value = '';
    pin.input.placeholder = pass.pin ? 'unchanged (type a new PIN to replace it)' : '';
    note.input.value = pass.note ?? '';
    scheduleOn.checked = pass.schedule.length > 0;
    if (pass.schedule.length) {
      dayBoxes.forEach((b) => (b.checked = pass.schedule[0].days.includes(b.value)));
      schedFrom.value = pass.schedule[0].from;
      schedTo.value = pass.schedule[0].to;
    }
    showSchedule();
    submit.lastChild.textContent = 'Save changes';
    cancelEdit.hidden = false;
    result.hidden = true;
    label.input.focus();
  }
  cancelEdit.addEventListener('click', resetForm);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.clear();
    const chosen = [...doorBox.querySelectorAll('input:checked')].map((b) => b.value);
    if (!label.input.value.trim()) return alert.error("Enter the guest's name."), label.input.focus();
    if (!chosen.length) return alert.error('Choose at least one door.');
    if (pin.input.value && !/^[0-9]{4,8}$/.test(pin.input.value)) return alert.error('The PIN must be 4 to 8 digits.');
    const body = {
      label: label.input.value.trim(),
      doors: chosen,
      valid_from: from.input.value,
      valid_until: until.input.value,
      max_uses: uses.input.value ? Number(uses.input.value) : null,
      note: note.input.value,
      schedule: scheduleOn.checked
        ? [{ days: dayBoxes.filter((b) => b.checked).map((b) => b.value), from: schedFrom.value, to: schedTo.value }]
        : [],
    };
    if (pin.input.value) body.pin = pin.input.value;
    await withBusy(submit, async () => {
      try {
        if (editing) {
          await ctx.api.http.request('PATCH', `/api/passes/${editing.id}`, body);
          ctx.toast(`Pass for ${body.label} saved.`);
          resetForm();
        } else {
          const res = await ctx.api.http.post('/api/passes', body);
          replaceChildren(result, h('p', { class: 'strong' }, icon('check'), ` Pass for ${res.pass.label} created.`), linkBox(res.url));
          result.hidden = false;
          resetForm();
          result.querySelector('input')?.focus();
        }
        await refresh();
      } catch (err) {
        alert.error(err.message);
      }
    });
  });

  async function action(pass, kind, button) {
    if (kind === 'revoke' || kind === 'delete') {
      const ok = await confirmDialog({
        title: kind === 'revoke' ? 'Revoke pass?' : 'Delete pass?',
        message:
          kind === 'revoke'
            ? `The link of ${pass.label} stops working at once.`
            : `The pass of ${pass.label} is removed from the list. Its audit rows stay.`,
        confirmLabel: kind === 'revoke' ? 'Revoke' : 'Delete',
        danger: true,
      });
      if (!ok) return button.focus();
    }
    alert.clear();
    try {
      if (kind === 'revoke') await ctx.api.http.del(`/api/passes/${pass.id}`);
      if (kind === 'delete') await ctx.api.http.del(`/api/passes/${pass.id}?permanent=true`);
      if (kind === 'link') {
        const res = await ctx.api.http.post(`/api/passes/${pass.id}/link`);
        replaceChildren(result, h('p', { class: 'strong' }, icon('check'), ` New link for ${pass.label}.`), linkBox(res.url));
        result.hidden = false;
      }
      if (kind === 'edit') return edit(pass);
      await refresh();
    } catch (err) {
      alert.error(err.message);
    }
  }

  function row(pass) {
    const buttons = [];
    const add = (kind, text, cls) => {
      const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, 'data-action': kind }, text);
      b.addEventListener('click', () => action(pass, kind, b));
      buttons.push(b);
    };
    const live = ['active', 'upcoming'].includes(pass.status);
    if (live) {
      add('edit', 'Edit', 'btn-ghost');
      add('link', 'New link', 'btn-ghost');
      add('revoke', 'Revoke', 'btn-danger-ghost');
    } else {
      add('delete', 'Delete', 'btn-danger-ghost');
    }
    const usesText = `${pass.uses}${pass.max_uses === null ? '' : ` / ${pass.max_uses}`}`;
    return h(
      'tr',
      { dataset: { pass: String(pass.id) } },
      h('td', { 'data-label': 'Guest' }, h('span', { class: 'strong' }, pass.label), pass.pin ? h('span', { class: 'muted' }, ' · PIN') : null),
      h('td', { 'data-label': 'Doors' }, pass.doors.map((id) => doors.find((d) => d.id === id)?.name || id).join(', ')),
      h('td', { 'data-label': 'Valid' }, `${showTime(pass.valid_from)} → ${showTime(pass.valid_until)}`,
        h('div', { class: 'muted' }, scheduleText(pass.schedule))),
      h('td', { 'data-label': 'Status' }, h('span', { class: `pass-status pass-${pass.status}` }, kStatusText[pass.status] ?? pass.status)),
      h('td', { 'data-label': 'Uses' }, usesText),
      h('td', { class: 'actions' }, buttons),
    );
  }

  async function refresh() {
    try {
      const res = await ctx.api.http.get('/api/passes');
      timezone = res.timezone ?? '';
      tzHint.textContent = timezone ? `Times are wall-clock times at the door (${timezone}).` : '';
      const passes = res.passes ?? [];
      replaceChildren(
        list,
        passes.length
          ? h('table', { class: 'table table-stack', id: 'pass-table' },
              tableHead('Guest', 'Doors', 'Valid', 'Status', 'Uses', h('span', { class: 'visually-hidden' }, 'Actions')),
              h('tbody', {}, passes.map(row)))
          : emptyState('No guest passes yet.'),
      );
    } catch (err) {
      alert.error(`Could not load the guest passes: ${err.message}`);
    }
  }

  async function start() {
    try {
      doors = await ctx.api.doors.list();
    } catch (err) {
      alert.error(`Could not load your doors: ${err.message}`);
    }
    replaceChildren(
      doorBox,
      h('legend', {}, 'Doors'),
      doors.length
        ? doors.map((d) => h('label', { class: 'check-chip' }, h('input', { type: 'checkbox', name: 'door', value: d.id }), h('span', {}, d.name || d.id)))
        : emptyState('You may not open any door, so you cannot give a pass.'),
    );
    resetForm();
    await refresh();
  }

  root.append(
    pageHeader('Guests', 'Links that open your doors for a while: for guests, cleaners, deliveries.'),
    alert.el,
    h('div', { class: 'stack' }, card('New guest pass', result, form), card('Guest passes', list)),
  );
  start();
  const unsubscribe = ctx.events.subscribe((event) => {
    if (['pass_used', 'pass_denied', 'pass_created', 'pass_revoked'].includes(event.type)) refresh();
  });
  return () => unsubscribe();
}
