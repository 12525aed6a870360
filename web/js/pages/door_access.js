// Door access (administrators): which resident may open which door — one checkbox per door and user, saved at once
// with PUT /api/users/{name}/doors — and the call buttons' press counters (GET /api/buttons), refreshed on rings.
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, card, emptyState, loading, pageHeader, tableHead } from '../ui.js';

const kButtonRefreshMs = 5000;

// One user's row: a chip per door. Administrators may open every door, so theirs are shown checked and fixed.
function permissionRow(ctx, user, doors, granted, alert) {
  const saving = h('span', { class: 'saving', role: 'status' });
  const admin = user.role === 'admin';
  const boxes = doors.map((d) => {
    const input = h('input', {
      type: 'checkbox',
      value: d.id,
      checked: admin || granted.has(d.id),
      disabled: admin,
      'aria-label': `${user.name} may open ${d.name || d.id}`,
    });
    input.addEventListener('change', () => save(input));
    return { input, el: h('label', { class: 'check-chip' }, input, h('span', {}, d.name || d.id)) };
  });

  // Saves the row's whole door list; on failure the boxes go back to what the server has.
  async function save(changed) {
    const wanted = boxes.filter((b) => b.input.checked).map((b) => b.input.value);
    boxes.forEach((b) => (b.input.disabled = true));
    saving.textContent = 'Saving…';
    alert.clear();
    try {
      const reply = await ctx.api.doors.setUserDoors(user.name, wanted);
      const now = new Set(reply.doors ?? wanted);
      boxes.forEach((b) => (b.input.checked = now.has(b.input.value)));
      saving.textContent = 'Saved';
      const door = doors.find((d) => d.id === changed.value);
      ctx.toast(
        `${user.name} ${changed.checked ? 'may now open' : 'may no longer open'} ${door?.name || changed.value}.`,
      );
    } catch (err) {
      changed.checked = !changed.checked;
      saving.textContent = '';
      alert.error(`Could not change ${user.name}'s doors: ${err.message}`);
    } finally {
      boxes.forEach((b) => (b.input.disabled = false));
    }
  }

  return h(
    'li',
    { class: 'perm-row', dataset: { user: user.name } },
    h(
      'div',
      { class: 'perm-user' },
      h('span', {}, user.name),
      h('span', { class: `role role-${user.role}` }, user.role),
      admin ? h('span', { class: 'saving' }, 'all doors') : saving,
    ),
    h(
      'div',
      { class: 'perm-doors', role: 'group', 'aria-label': `Doors ${user.name} may open` },
      boxes.map((b) => b.el),
    ),
  );
}

function permissionsCard(ctx) {
  const alert = alertBox();
  const body = h('div', {}, loading());
  async function load() {
    try {
      const [users, doors, grants] = await Promise.all([
        ctx.api.users.list(),
        ctx.api.doors.list(),
        ctx.api.doors.permissions(),
      ]);
      if (doors.length === 0) {
        replaceChildren(body, emptyState('No doors are configured.'));
        return;
      }
      const byUser = new Map();
      for (const g of grants) {
        if (!byUser.has(g.user)) byUser.set(g.user, new Set());
        byUser.get(g.user).add(g.door);
      }
      // Residents first: they are the ones whose access is chosen here.
      const sorted = [...users].sort((a, b) =>
        a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'admin' ? 1 : -1,
      );
      replaceChildren(
        body,
        h(
          'ul',
          { class: 'perm-list' },
          sorted.map((u) => permissionRow(ctx, u, doors, byUser.get(u.name) ?? new Set(), alert)),
        ),
      );
    } catch (err) {
      replaceChildren(body);
      alert.error(`Cannot load door permissions: ${err.message}`);
    }
  }
  load();
  return card(
    'Who may open which door',
    h('p', { class: 'muted' }, 'Residents see and open only the doors ticked here. Changes are saved at once.'),
    alert.el,
    body,
  );
}

function buttonsCard(ctx) {
  const alert = alertBox();
  const body = h('div', {}, loading());
  const refresh = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small' },
    icon('refresh'),
    h('span', {}, 'Refresh'),
  );
  let doors = new Map();

  async function load() {
    try {
      if (doors.size === 0) doors = new Map((await ctx.api.doors.list()).map((d) => [d.id, d]));
      const buttons = await ctx.api.doors.buttons();
      alert.clear();
      if (buttons.length === 0) {
        replaceChildren(body, emptyState('No call buttons are configured.'));
        return;
      }
      replaceChildren(
        body,
        h(
          'table',
          { class: 'table table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Call buttons'),
          tableHead('Button', 'Door', 'Presses', 'Rings', 'Throttled', 'Bounces', 'Edges'),
          h(
            'tbody',
            {},
            buttons.map((b) =>
              h(
                'tr',
                { dataset: { button: b.id } },
                h(
                  'td',
                  { 'data-label': 'Button' },
                  h('span', { class: 'strong mono' }, b.id),
                  b.line ? null : h('span', { class: 'muted' }, ' (network)'),
                ),
                h('td', { 'data-label': 'Door' }, doors.get(b.door)?.name ?? b.door),
                h('td', { 'data-label': 'Presses', class: 'num' }, String(b.presses)),
                h('td', { 'data-label': 'Rings', class: 'num' }, String(b.rings)),
                h('td', { 'data-label': 'Throttled', class: 'num' }, String(b.throttled)),
                h('td', { 'data-label': 'Bounces', class: 'num' }, String(b.bounces)),
                h('td', { 'data-label': 'Edges', class: 'num' }, String(b.edges)),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      alert.error(`Cannot load the call buttons: ${err.message}`);
    }
  }

  refresh.addEventListener('click', load);
  const unsubscribe = ctx.events.subscribe((e) => {
    if (e.type === 'ring') load();
  });
  // Throttled presses make no event, so the counters are also read every few seconds.
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') load();
  }, kButtonRefreshMs);
  load();
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'buttons-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'buttons-title' }, 'Call buttons'), refresh),
    h(
      'p',
      { class: 'muted' },
      'Presses seen on each button; a press within the throttle window after a ring is counted as throttled instead of ringing again.',
    ),
    alert.el,
    body,
  );
  return {
    el,
    dispose() {
      unsubscribe();
      clearInterval(timer);
    },
  };
}

export function render(root, ctx) {
  const buttons = buttonsCard(ctx);
  root.append(
    pageHeader('Door access', 'Choose who may open which door and check that every call-button press arrives.'),
    h('div', { class: 'stack' }, permissionsCard(ctx), buttons.el),
  );
  return () => buttons.dispose();
}
