// The events page: door history newest first, filtered by door and kind, paged back with "Load older" and with new
// events prepended as they arrive. Administrators also get the Audit tab (the hash-chained unlock log).
import { h, replaceChildren, shortTimeElement } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, emptyState, liveIndicator, loading, pageHeader, selectField } from '../ui.js';
import { eventActor, eventKind, eventLabel, kEventGroups } from '../doors_model.js';
import { auditPanel } from './audit.js';

const kPageSize = 50;

const kMarks = {
  ring: 'bell',
  unlock_requested: 'unlock',
  unlocked: 'unlock',
  relocked: 'lock',
  door_opened: 'door',
  door_closed: 'door',
};

function eventRow(event, doors, fresh) {
  const kind = eventKind(event);
  const meta = [eventActor(event), event.detail].filter(Boolean).join(' · ');
  return h(
    'li',
    {
      class: ['event-row', `event-kind-${kind}`, fresh && 'event-row-new'],
      dataset: { id: String(event.id ?? ''), type: event.type, testid: 'event' },
    },
    h(
      'span',
      { class: 'event-mark', 'aria-hidden': 'true' },
      icon(kind === 'alarm' || kind === 'problem' ? 'alert' : (kMarks[event.type] ?? 'events')),
    ),
    h(
      'span',
      { class: 'event-title' },
      h('span', {}, eventLabel(event.type)),
      h('span', { class: 'event-door' }, doors.name(event.door)),
      event.alarm ? h('span', { class: 'alarm-tag' }, 'Alarm') : null,
    ),
    h('span', { class: 'event-meta' }, shortTimeElement(event.time), meta ? ` · ${meta}` : ''),
  );
}

// The history list with its filters; returns {el, dispose}.
function historyPanel(ctx) {
  const alert = alertBox();
  const door = selectField({ label: 'Door', name: 'door', value: '', options: [['', 'All doors']] });
  const group = selectField({
    label: 'Show',
    name: 'type',
    value: '',
    options: kEventGroups.map(([value, label]) => [value, label]),
  });
  const list = h('ol', { class: 'event-list', 'aria-label': 'Events, newest first' });
  const body = h('div', {}, loading('Loading events…'));
  const older = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Load older');
  const footer = h('div', { class: 'list-footer', hidden: true }, older);
  let ids = new Set();
  let oldestId = null;
  let loadSeq = 0;
  let pending = null; // live events that arrive while a load runs

  const types = () => kEventGroups.find(([value]) => value === group.input.value)?.[2] ?? [];
  const query = (extra) => ({ limit: kPageSize, door: door.input.value, type: types(), ...extra });
  const matches = (event) =>
    (!door.input.value || event.door === door.input.value) && (types().length === 0 || types().includes(event.type));

  function append(events) {
    for (const e of events) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
      list.append(eventRow(e, ctx.doors, false));
      if (oldestId === null || e.id < oldestId) oldestId = e.id;
    }
  }

  function showList() {
    if (ids.size === 0) replaceChildren(body, emptyState('No events match these filters yet.'));
    else replaceChildren(body, list);
  }

  async function reload() {
    const seq = ++loadSeq;
    pending = [];
    alert.clear();
    try {
      await ctx.doors.load().catch(() => null);
      const events = await ctx.api.events.history(query());
      if (seq !== loadSeq) return;
      ids = new Set();
      oldestId = null;
      replaceChildren(list);
      append(events);
      const waiting = pending;
      pending = null;
      for (const e of waiting) prepend(e);
      footer.hidden = events.length < kPageSize;
      showList();
    } catch (err) {
      if (seq !== loadSeq) return;
      pending = null;
      replaceChildren(body);
      alert.error(`Cannot load the events: ${err.message}`);
    }
  }

  async function loadOlder() {
    if (oldestId === null) return;
    older.disabled = true;
    try {
      const events = await ctx.api.events.history(query({ before: oldestId }));
      append(events);
      footer.hidden = events.length < kPageSize;
    } catch (err) {
      alert.error(`Cannot load older events: ${err.message}`);
    } finally {
      older.disabled = false;
    }
  }

  function prepend(event) {
    if (pending) {
      pending.push(event);
      return;
    }
    if (!matches(event) || (event.id && ids.has(event.id))) return;
    if (event.id) ids.add(event.id);
    list.prepend(eventRow(event, ctx.doors, true));
    showList();
  }

  async function fillDoors() {
    try {
      const doors = await ctx.doors.load();
      door.input.append(...[...doors.values()].map((d) => h('option', { value: d.id }, d.name || d.id)));
    } catch {
      // The filter then offers only "All doors".
    }
  }

  door.input.addEventListener('change', reload);
  group.input.addEventListener('change', reload);
  older.addEventListener('click', loadOlder);
  const unsubscribe = ctx.events.subscribe(prepend);
  const unwatch = ctx.events.onStatus(({ status, gap }) => {
    if (status === 'live' && gap) reload();
  });
  fillDoors();
  reload();

  const el = h('div', {}, h('div', { class: 'filters' }, door.wrapper, group.wrapper), alert.el, body, footer);
  return {
    el: h('section', { class: 'card', 'aria-label': 'Door events' }, el),
    dispose() {
      unsubscribe();
      unwatch();
    },
  };
}

// Tabs as in the WAI-ARIA pattern: arrow keys move between them; only the selected one is in the tab order.
function tabs(entries, initial) {
  const buttons = entries.map(([id, label]) =>
    h('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}` }, label),
  );
  const bar = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' }, buttons);
  const panels = entries.map(([id, , panel]) =>
    h('div', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}` }, panel),
  );
  function select(index, focus) {
    buttons.forEach((b, i) => {
      b.setAttribute('aria-selected', String(i === index));
      b.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) buttons[index].focus();
    entries[index][3]?.();
  }
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => select(i, false));
    b.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') select((i + 1) % buttons.length, true);
      if (e.key === 'ArrowLeft') select((i + buttons.length - 1) % buttons.length, true);
    });
  });
  select(Math.max(0, initial), false);
  return [bar, ...panels];
}

export function render(root, ctx) {
  const live = liveIndicator(ctx.events);
  const history = historyPanel(ctx);
  const disposers = [() => live.dispose(), () => history.dispose()];
  root.append(
    h('div', { class: 'page-header-row' }, pageHeader('Events', 'Rings, unlocks and alarms as they happen.'), live.el),
  );
  if (ctx.user.role === 'admin') {
    const audit = auditPanel(ctx);
    disposers.push(() => audit.dispose());
    const initial = ctx.query.get('tab') === 'audit' ? 1 : 0;
    root.append(
      ...tabs(
        [
          ['history', 'Events', history.el],
          ['audit', 'Audit log', audit.el, () => audit.show()],
        ],
        initial,
      ),
    );
  } else {
    root.append(history.el);
  }
  return () => disposers.forEach((fn) => fn());
}
