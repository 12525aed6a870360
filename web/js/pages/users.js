// Administrators manage accounts: list, add (admin or resident) and remove. Removing yourself is not offered.
import { h, replaceChildren, timeElement } from '../dom.js';
import { icon } from '../icons.js';
import {
  alertBox,
  card,
  confirmDialog,
  emptyState,
  field,
  kMinPasswordLength,
  loading,
  pageHeader,
  selectField,
  tableHead,
  withBusy,
} from '../ui.js';

// The list of users; returns the card and a refresh function.
function userList(ctx) {
  const alert = alertBox();
  const list = h('div', {}, loading());

  function row(user) {
    const self = user.name === ctx.user.name;
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-danger-ghost btn-small',
        disabled: self,
        title: self ? 'You cannot remove your own account' : null,
        'aria-label': self ? 'You cannot remove your own account' : `Remove ${user.name}`,
      },
      icon('trash'),
      h('span', {}, 'Remove'),
    );
    remove.addEventListener('click', () => confirmRemove(user, remove));
    return h(
      'tr',
      {},
      h(
        'td',
        { 'data-label': 'Name' },
        h('span', { class: 'strong' }, user.name),
        self ? h('span', { class: 'muted' }, ' (you)') : null,
      ),
      h('td', { 'data-label': 'Role' }, h('span', { class: `role role-${user.role}` }, user.role)),
      h('td', { 'data-label': 'Created' }, timeElement(user.created_at, '—')),
      h('td', { class: 'actions' }, remove),
    );
  }

  async function confirmRemove(user, button) {
    const ok = await confirmDialog({
      title: `Remove ${user.name}?`,
      message: 'The account, its sessions and its API tokens are deleted. This cannot be undone.',
      confirmLabel: 'Remove user',
      danger: true,
    });
    if (!ok) {
      button.focus();
      return;
    }
    try {
      await ctx.api.users.remove(user.name);
      ctx.toast(`${user.name} removed.`);
      await refresh();
    } catch (err) {
      alert.error(err.message);
    }
  }

  async function refresh() {
    try {
      const users = await ctx.api.users.list();
      alert.clear();
      if (users.length === 0) {
        replaceChildren(list, emptyState('No users.'));
        return;
      }
      replaceChildren(
        list,
        h(
          'table',
          { class: 'table table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Users'),
          tableHead('Name', 'Role', 'Created', h('span', { class: 'visually-hidden' }, 'Actions')),
          h('tbody', {}, users.map(row)),
        ),
      );
    } catch (err) {
      replaceChildren(list);
      alert.error(err.message);
    }
  }

  return { el: card('All users', alert.el, list), refresh };
}

function addUserForm(ctx, onAdded) {
  const alert = alertBox();
  const name = field({
    label: 'Username',
    name: 'username',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const role = selectField({
    label: 'Role',
    name: 'role',
    value: 'resident',
    options: [
      ['resident', 'Resident'],
      ['admin', 'Administrator'],
    ],
  });
  const password = field({
    label: 'Initial password',
    name: 'password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: kMinPasswordLength,
    hint: `At least ${kMinPasswordLength} characters. The user can change it under Account.`,
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Add user');
  const form = h(
    'form',
    { class: 'form form-grid', novalidate: true },
    alert.el,
    name.wrapper,
    role.wrapper,
    password.wrapper,
    h('div', { class: 'form-actions' }, submit),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.clear();
    const username = name.input.value.trim();
    if (!username) {
      alert.error('Enter a username.');
      name.input.focus();
      return;
    }
    if (password.input.value.length < kMinPasswordLength) {
      alert.error(`The password must have at least ${kMinPasswordLength} characters.`);
      password.input.focus();
      return;
    }
    await withBusy(submit, async () => {
      try {
        const chosenRole = role.input.value;
        await ctx.api.users.create(username, password.input.value, chosenRole);
        form.reset();
        alert.success(`${username} added as ${chosenRole === 'admin' ? 'an administrator' : 'a resident'}.`);
        await onAdded();
      } catch (err) {
        alert.error(err.message);
      }
    });
  });
  return card('Add a user', form);
}

export function render(root, ctx) {
  const users = userList(ctx);
  users.refresh();
  root.append(
    pageHeader('Users', 'Residents can open doors and answer calls; administrators also manage the system.'),
    h('div', { class: 'stack' }, users.el, addUserForm(ctx, users.refresh)),
  );
}
