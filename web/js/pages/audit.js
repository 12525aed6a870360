// The Audit tab of the events page (administrators): every unlock and lock decision from GET /api/audit, newest first.
// The API pages oldest first (after=SEQ), so the panel reads the log to its end in chunks and keeps the newest rows;
// new rows are fetched with after=<last seq> when door events arrive. Not a route of its own.
import { h, replaceChildren, shortTimeElement } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, emptyState, loading, selectField, tableHead } from '../ui.js';

const kChunk = 1000; // the API's maximum limit
const kMaxChunks = 20; // reads at most the newest ~20 000 rows' worth of requests
const kKeep = 2000; // rows kept in memory
const kShowStep = 100;
const kRefreshDelayMs = 400;

function auditRow(r) {
  const who = r.actor ? `${r.actor} (${r.actor_kind})` : r.actor_kind;
  return h(
    'tr',
    { dataset: { seq: String(r.seq), testid: 'audit-row' } },
    h('td', { 'data-label': 'Time' }, h('span', { class: 'strong' }, `#${r.seq} `), shortTimeElement(r.time)),
    h('td', { 'data-label': 'Who' }, who),
    h(
      'td',
      { 'data-label': 'What' },
      `${r.action} ${r.door}`,
      r.method ? h('span', { class: 'muted' }, ` via ${r.method}`) : null,
    ),
    h('td', { 'data-label': 'Result' }, h('span', { class: `result result-${r.result}` }, r.result)),
    h(
      'td',
      { 'data-label': 'Detail', class: r.detail ? null : 'cell-empty' },
      r.detail || h('span', { class: 'muted' }, '—'),
    ),
    h('td', { 'data-label': 'Hash', class: 'mono hash', title: r.hash }, String(r.hash ?? '').slice(0, 12)),
  );
}

export function auditPanel(ctx) {
  const alert = alertBox();
  const result = selectField({
    label: 'Result',
    name: 'result',
    value: '',
    options: [
      ['', 'All results'],
      ['granted', 'Granted'],
      ['denied', 'Denied'],
      ['failed', 'Failed'],
    ],
  });
  const refresh = h(
    'button',
    { type: 'button', class: 'btn btn-secondary' },
    icon('refresh'),
    h('span', {}, 'Refresh'),
  );
  const body = h('div', {}, loading('Reading the audit log…'));
  const more = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Show older');
  const footer = h('div', { class: 'list-footer', hidden: true }, more);
  let rows = []; // oldest first
  let lastSeq = 0;
  let shown = kShowStep;
  let started = false;
  let busy = false;
  let timer = null;

  function draw() {
    const wanted = result.input.value;
    const visible = rows.filter((r) => !wanted || r.result === wanted).reverse();
    if (visible.length === 0) {
      replaceChildren(body, emptyState(rows.length ? 'No audit rows with this result.' : 'The audit log is empty.'));
      footer.hidden = true;
      return;
    }
    replaceChildren(
      body,
      h(
        'table',
        { class: 'table table-stack audit-table' },
        h('caption', { class: 'visually-hidden' }, 'Audit log, newest first'),
        tableHead('Time', 'Who', 'What', 'Result', 'Detail', 'Hash'),
        h('tbody', {}, visible.slice(0, shown).map(auditRow)),
      ),
    );
    footer.hidden = visible.length <= shown;
  }

  // Reads everything after lastSeq (the whole log the first time).
  async function fetchNew() {
    if (busy) return;
    busy = true;
    try {
      for (let i = 0; i < kMaxChunks; i += 1) {
        const chunk = await ctx.api.events.audit({ after: lastSeq, limit: kChunk });
        rows.push(...chunk);
        if (chunk.length) lastSeq = chunk[chunk.length - 1].seq;
        if (rows.length > kKeep) rows = rows.slice(rows.length - kKeep);
        if (chunk.length < kChunk) break;
      }
      alert.clear();
      draw();
    } catch (err) {
      alert.error(`Cannot read the audit log: ${err.message}`);
      if (rows.length === 0) replaceChildren(body);
    } finally {
      busy = false;
    }
  }

  result.input.addEventListener('change', () => {
    shown = kShowStep;
    draw();
  });
  more.addEventListener('click', () => {
    shown += kShowStep;
    draw();
  });
  refresh.addEventListener('click', fetchNew);
  // Unlock and lock decisions come with door events; read the new rows shortly after.
  const unsubscribe = ctx.events.subscribe((event) => {
    if (!started || !/^unlock|^relock/.test(event.type)) return;
    clearTimeout(timer);
    timer = setTimeout(fetchNew, kRefreshDelayMs);
  });

  const el = h(
    'section',
    { class: 'card', 'aria-label': 'Audit log' },
    h(
      'p',
      { class: 'muted' },
      'Every unlock decision is written here before the relay moves. Rows are hash-chained: ',
      h('code', {}, 'portier audit verify'),
      ' checks that none was changed.',
    ),
    h('div', { class: 'filters' }, result.wrapper, h('div', { class: 'form-actions' }, refresh)),
    alert.el,
    body,
    footer,
  );
  return {
    el,
    // Reads the log the first time the tab is shown, not before.
    show() {
      if (started) return;
      started = true;
      fetchNew();
    },
    dispose() {
      unsubscribe();
      clearTimeout(timer);
    },
  };
}
