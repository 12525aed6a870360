// The logged-in user's own settings: password change and personal API tokens for scripts.
import { h, replaceChildren, timeElement } from '../dom.js';
import { icon } from '../icons.js';
import {
  alertBox,
  card,
  checkNewPassword,
  confirmDialog,
  copyField,
  emptyState,
  field,
  kMinPasswordLength,
  loading,
  pageHeader,
  withBusy,
} from '../ui.js';

function passwordCard(ctx) {
  const alert = alertBox();
  const current = field({ label: 'Current password', name: 'current_password', type: 'password', autocomplete: 'current-password' });
  const next = field({
    label: 'New password',
    name: 'new_password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: kMinPasswordLength,
    hint: `At least ${kMinPasswordLength} characters.`,
  });
  const confirm = field({ label: 'Confirm new password', name: 'confirm', type: 'password', autocomplete: 'new-password' });
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Change password');
  const form = h('form', { class: 'form', novalidate: true }, alert.el, current.wrapper, next.wrapper, confirm.wrapper, h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.clear();
    if (!current.input.value) {
      alert.error('Enter your current password.');
      current.input.focus();
      return;
    }
    const problem = checkNewPassword(next.input.value, confirm.input.value);
    if (problem) {
      alert.error(problem);
      next.input.focus();
      return;
    }
    await withBusy(submit, async () => {
      try {
        await ctx.api.auth.changePassword(current.input.value, next.input.value);
        form.reset();
        alert.success('Your password has been changed.');
      } catch (err) {
        alert.error(err.status === 401 || err.status === 403 ? 'The current password is not correct.' : err.message);
      }
    });
  });
  return card('Change password', form);
}

function tokenRow(token, onRevoke) {
  const revoke = h(
    'button',
    { type: 'button', class: 'btn btn-danger-ghost btn-small', 'aria-label': `Revoke token ${token.label || token.id}` },
    icon('trash'),
    h('span', {}, 'Revoke'),
  );
  revoke.addEventListener('click', () => onRevoke(token, revoke));
  return h(
    'tr',
    {},
    h('td', { 'data-label': 'Label' }, h('span', { class: 'strong' }, token.label || '(no label)')),
    h('td', { 'data-label': 'Created' }, timeElement(token.created_at, '—')),
    h('td', { 'data-label': 'Last used' }, timeElement(token.last_used_at, 'Never')),
    h('td', { class: 'actions' }, revoke),
  );
}

function tokensCard(ctx) {
  const alert = alertBox();
  const list = h('div', { class: 'token-list' }, loading());
  const created = h('div', { class: 'token-created', hidden: true });

  const label = field({ label: 'Label', name: 'label', required: true, maxlength: 64, placeholder: 'e.g. garage script', hint: 'A name that tells you where the token is used.' });
  const submit = h('button', { type: 'submit', class: 'btn' }, icon('key'), h('span', {}, 'Create token'));
  const form = h('form', { class: 'form form-inline', novalidate: true }, label.wrapper, h('div', { class: 'form-actions' }, submit));

  async function refresh() {
    try {
      const tokens = await ctx.api.tokens.list();
      if (tokens.length === 0) {
        replaceChildren(list, emptyState('You have no API tokens.'));
        return;
      }
      replaceChildren(
        list,
        h(
          'table',
          { class: 'table table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Your API tokens'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Last used'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          h('tbody', {}, tokens.map((t) => tokenRow(t, revoke))),
        ),
      );
    } catch (err) {
      replaceChildren(list);
      alert.error(err.message);
    }
  }

  async function revoke(token, button) {
    const ok = await confirmDialog({
      title: 'Revoke token?',
      message: `Scripts using "${token.label || token.id}" will stop working at once.`,
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (!ok) {
      button.focus();
      return;
    }
    try {
      await ctx.api.tokens.revoke(token.id);
      ctx.toast(`Token "${token.label || token.id}" revoked.`);
      created.hidden = true;
      await refresh();
    } catch (err) {
      alert.error(err.message);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.clear();
    const text = label.input.value.trim();
    if (!text) {
      alert.error('Give the token a label.');
      label.input.focus();
      return;
    }
    await withBusy(submit, async () => {
      try {
        const res = await ctx.api.tokens.create(text);
        form.reset();
        replaceChildren(
          created,
          h('p', { class: 'strong' }, icon('check'), ` Token "${text}" created.`),
          h('p', { class: 'muted' }, 'Copy it now: it is shown only once. Send it as ', h('code', {}, 'Authorization: Bearer <token>'), '.'),
          copyField({ label: 'New API token', value: res.token }),
        );
        created.hidden = false;
        created.querySelector('input')?.focus();
        await refresh();
      } catch (err) {
        alert.error(err.message);
      }
    });
  });

  refresh();
  return card(
    'API tokens',
    h('p', { class: 'muted' }, 'Tokens let scripts and home-automation systems use the API as you.'),
    alert.el,
    created,
    form,
    list,
  );
}

export function render(root, ctx) {
  const { user } = ctx;
  root.append(
    pageHeader('Account', `Signed in as ${user.name} (${user.role})`),
    h('div', { class: 'stack' }, passwordCard(ctx), tokensCard(ctx)),
  );
}
