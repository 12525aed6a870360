// Calls: the door calls in progress (GET /api/calls), refreshed on call events and every few seconds; admins can
// hang a call up (DELETE /api/calls/{id}). Recent visitor messages are listed with a player.
import { h, replaceChildren } from '../dom.js';
import { alertBox, card, confirmDialog, emptyState, loading, pageHeader, tableHead, toast } from '../ui.js';

const kRefreshMs = 3000;
const kCallEvents = ['call_ringing', 'call_answered', 'call_dtmf', 'call_ended', 'visitor_message'];
const kStates = {
  calling_station: 'Calling the door station',
  ringing: 'Ringing',
  answered: 'Connected',
  message: 'Recording a visitor message',
};

function since(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

export function render(root, ctx) {
  const admin = ctx.user.role === 'admin';
  const alert = alertBox();
  const active = h('div', {}, loading());
  const messages = h('div', {}, loading());

  async function hangup(call, button) {
    const ok = await confirmDialog({
      title: 'Hang up this call?',
      message: `The call at ${call.door || 'the door'} ends for everyone in it.`,
      confirmLabel: 'Hang up',
      danger: true,
    });
    if (!ok) return;
    button.disabled = true;
    try {
      await ctx.api.http.del(`/api/calls/${encodeURIComponent(call.id)}`);
      toast('Call ended.');
      refresh();
    } catch (err) {
      button.disabled = false;
      alert.error(`Could not hang up: ${err.message}`);
    }
  }

  function callRow(call) {
    const people = call.legs.map((l) => `${l.role === 'door' ? 'door station' : 'phone'} ${l.extension} (${l.state})`);
    let action = null;
    if (admin) {
      action = h('button', { type: 'button', class: 'btn btn-danger-ghost btn-small' }, 'Hang up');
      action.addEventListener('click', () => hangup(call, action));
    }
    return h(
      'tr',
      { dataset: { id: String(call.id), testid: 'call' } },
      h('td', { 'data-label': 'Door' }, h('span', { class: 'strong' }, call.door || '—')),
      h('td', { 'data-label': 'State' }, kStates[call.state] ?? call.state),
      h('td', { 'data-label': 'Answered by' }, call.answered_by || '—'),
      h('td', { 'data-label': 'Legs' }, people.join(', ') || '—'),
      h('td', { 'data-label': 'Since' }, since(call.started)),
      admin ? h('td', { 'data-label': '' }, action) : null,
    );
  }

  function messageRow(event) {
    return h(
      'li',
      { class: 'event-row', dataset: { testid: 'visitor-message' } },
      h('span', { class: 'event-title' }, `${event.door || 'Door'} · ${new Date(event.time).toLocaleString()}`,
        event.duration != null ? ` · ${event.duration} s` : ''),
      h('audio', { controls: true, preload: 'none', src: event.url }),
    );
  }

  async function refresh() {
    try {
      const [calls, history] = await Promise.all([
        ctx.api.http.get('/api/calls'),
        ctx.api.http.get('/api/events/history?type=visitor_message&limit=10'),
      ]);
      alert.clear();
      const list = calls.calls ?? [];
      const heads = ['Door', 'State', 'Answered by', 'Legs', 'Since'];
      if (admin) heads.push('');
      replaceChildren(
        active,
        list.length
          ? h('table', { class: 'table table-stack' }, tableHead(...heads), h('tbody', {}, ...list.map(callRow)))
          : emptyState('No call right now.'),
      );
      const msgs = (history.events ?? []).filter((e) => e.url);
      replaceChildren(
        messages,
        msgs.length ? h('ol', { class: 'event-list' }, ...msgs.map(messageRow)) : emptyState('No visitor messages.'),
      );
    } catch (err) {
      alert.error(`Could not load the calls: ${err.message}`);
    }
  }

  root.append(
    pageHeader('Calls', 'Door calls in progress and the messages visitors left.'),
    alert.el,
    h('div', { class: 'stack' }, card('Active calls', active), card('Visitor messages', messages)),
  );
  refresh();
  const timer = setInterval(refresh, kRefreshMs);
  const unsubscribe = ctx.events.subscribe((event) => {
    if (kCallEvents.includes(event.type)) refresh();
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
