// Phones: the SIP extensions of Portier's own PBX and where each is registered from (GET /api/sip/extensions,
// GET /api/sip/registrations), refreshed on registration events and every few seconds so expiry counts down.
import { h, replaceChildren } from '../dom.js';
import { alertBox, card, emptyState, loading, pageHeader, tableHead } from '../ui.js';

const kRefreshMs = 5000;

function expiresText(seconds) {
  if (seconds <= 0) return 'expired';
  if (seconds < 120) return `${seconds} s`;
  return `${Math.round(seconds / 60)} min`;
}

function registrationRow(r) {
  return h(
    'tr',
    { dataset: { extension: r.extension } },
    h('td', { 'data-label': 'Extension' }, h('span', { class: 'strong' }, r.extension)),
    h('td', { 'data-label': 'Contact' }, h('code', {}, r.contact)),
    h(
      'td',
      { 'data-label': 'From' },
      h('code', {}, r.source),
      r.behind_nat ? h('span', { class: 'muted' }, ' (behind NAT)') : null,
    ),
    h('td', { 'data-label': 'Transport' }, r.transport.toUpperCase()),
    h('td', { 'data-label': 'Expires in' }, expiresText(r.expires)),
    h('td', { 'data-label': 'Phone' }, r.user_agent || '—'),
  );
}

function extensionRow(e) {
  return h(
    'tr',
    { dataset: { extension: e.number } },
    h('td', { 'data-label': 'Extension' }, h('span', { class: 'strong' }, e.number)),
    h('td', { 'data-label': 'Name' }, e.display_name),
    h('td', { 'data-label': 'Role' }, e.role),
    h('td', { 'data-label': 'Registered' }, e.registrations > 0 ? `yes (${e.registrations})` : 'no'),
  );
}

export function render(root, ctx) {
  const alert = alertBox();
  const regs = h('div', {}, loading());
  const exts = h('div', {}, loading());
  const listening = h('p', { class: 'muted' });

  async function refresh() {
    try {
      const [registrations, extensions] = await Promise.all([
        ctx.api.http.get('/api/sip/registrations'),
        ctx.api.http.get('/api/sip/extensions'),
      ]);
      alert.clear();
      const r = registrations.registrations ?? [];
      replaceChildren(
        regs,
        r.length
          ? h('table', { class: 'table table-stack' }, tableHead('Extension', 'Contact', 'From', 'Transport', 'Expires in', 'Phone'),
              h('tbody', {}, ...r.map(registrationRow)))
          : emptyState('No phone is registered right now.'),
      );
      const e = extensions.extensions ?? [];
      replaceChildren(
        exts,
        e.length
          ? h('table', { class: 'table table-stack' }, tableHead('Extension', 'Name', 'Role', 'Registered'),
              h('tbody', {}, ...e.map(extensionRow)))
          : emptyState('No extensions yet: add one with `portier extension add NUMBER --password-stdin`.'),
      );
      listening.textContent = `SIP listens on ${(extensions.listening ?? []).join(', ') || 'nothing'}.`;
    } catch (err) {
      alert.error(`Could not load the SIP registrations: ${err.message}`);
    }
  }

  root.append(
    pageHeader('Phones', 'SIP phones, door stations and ATAs registered with Portier.'),
    alert.el,
    h('div', { class: 'stack' }, card('Registrations', regs), card('Extensions', listening, exts)),
  );
  refresh();
  const timer = setInterval(refresh, kRefreshMs);
  const unsubscribe = ctx.events.subscribe((event) => {
    if (['registered', 'unregistered', 'registration_expired'].includes(event.type)) refresh();
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
