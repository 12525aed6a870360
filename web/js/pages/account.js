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
  const current = field({
    label: 'Current password',
    name: 'current_password',
    type: 'password',
    autocomplete: 'current-password',
  });
  const next = field({
    label: 'New password',
    name: 'new_password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: kMinPasswordLength,
    hint: `At least ${kMinPasswordLength} characters.`,
  });
  const confirm = field({
    label: 'Confirm new password',
    name: 'confirm',
    type: 'password',
    autocomplete: 'new-password',
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Change password');
  // The hidden user name lets password managers file the new password under the right account.
  const accountName = h('input', {
    type: 'text',
    name: 'username',
    autocomplete: 'username',
    value: ctx.user.name,
    hidden: true,
    tabindex: '-1',
    'aria-hidden': 'true',
  });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    accountName,
    alert.el,
    current.wrapper,
    next.wrapper,
    confirm.wrapper,
    h('div', { class: 'form-actions' }, submit),
  );

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
        // A wrong current password is 403 (the session itself is fine); a CSRF failure keeps its own message.
        alert.error(err.status === 403 && err.code !== 'csrf' ? 'The current password is not correct.' : err.message);
      }
    });
  });
  return card('Change password', form);
}

const tokenName = (token) => token.label || `#${token.id}`;

// The table of the user's tokens with a Revoke button each; returns {el, refresh}.
function tokenList(ctx, alert, onRevoked) {
  const el = h('div', { class: 'token-list' }, loading());

  async function revoke(token, button) {
    const ok = await confirmDialog({
      title: 'Revoke token?',
      message: `Scripts using "${tokenName(token)}" will stop working at once.`,
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (!ok) {
      button.focus();
      return;
    }
    try {
      await ctx.api.tokens.revoke(token.id);
      ctx.toast(`Token "${tokenName(token)}" revoked.`);
      onRevoked();
      await refresh();
    } catch (err) {
      alert.error(err.message);
    }
  }

  function row(token) {
    const button = h(
      'button',
      { type: 'button', class: 'btn btn-danger-ghost btn-small', 'aria-label': `Revoke token ${tokenName(token)}` },
      icon('trash'),
      h('span', {}, 'Revoke'),
    );
    button.addEventListener('click', () => revoke(token, button));
    return h(
      'tr',
      {},
      h('td', { 'data-label': 'Label' }, h('span', { class: 'strong' }, tokenName(token))),
      h('td', { 'data-label': 'Created' }, timeElement(token.created_at, '—')),
      h('td', { 'data-label': 'Last used' }, timeElement(token.last_used_at, 'Never')),
      h('td', { class: 'actions' }, button),
    );
  }

  async function refresh() {
    try {
      const tokens = await ctx.api.tokens.list();
      if (tokens.length === 0) {
        replaceChildren(el, emptyState('You have no API tokens.'));
        return;
      }
      const titles = ['Label', 'Created', 'Last used', h('span', { class: 'visually-hidden' }, 'Actions')];
      replaceChildren(
        el,
        h(
          'table',
          { class: 'table table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Your API tokens'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              titles.map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h('tbody', {}, tokens.map(row)),
        ),
      );
    } catch (err) {
      replaceChildren(el);
      alert.error(err.message);
    }
  }

  return { el, refresh };
}

function tokensCard(ctx) {
  const alert = alertBox();
  // Shows a new token once; it is cleared when the page is left or a token is revoked.
  const created = h('div', { class: 'token-created', hidden: true });
  const list = tokenList(ctx, alert, () => {
    created.hidden = true;
  });

  const label = field({
    label: 'Label',
    name: 'label',
    maxlength: 64,
    placeholder: 'e.g. garage script',
    hint: 'A name that tells you where the token is used.',
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, icon('key'), h('span', {}, 'Create token'));
  const form = h(
    'form',
    { class: 'form form-inline', novalidate: true },
    label.wrapper,
    h('div', { class: 'form-actions' }, submit),
  );

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
          h(
            'p',
            { class: 'muted' },
            'Copy it now: it is shown only once. Send it as ',
            h('code', {}, 'Authorization: Bearer <token>'),
            '.',
          ),
          copyField({ label: 'New API token', value: res.token }),
        );
        created.hidden = false;
        created.querySelector('input')?.focus();
        await list.refresh();
      } catch (err) {
        alert.error(err.message);
      }
    });
  });

  list.refresh();
  return card(
    'API tokens',
    h('p', { class: 'muted' }, 'Tokens let scripts and home-automation systems use the API as you.'),
    alert.el,
    created,
    form,
    list.el,
  );
}

export function render(root, ctx) {
  const { user } = ctx;
  root.append(
    pageHeader('Account', `Signed in as ${user.name} (${user.role})`),
    h('div', { class: 'stack' }, passwordCard(ctx), tokensCard(ctx)),
  );
}
