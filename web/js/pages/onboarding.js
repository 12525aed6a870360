// First run: no user exists yet, so the first visitor creates the administrator account (no default passwords).
import { h } from '../dom.js';
import { alertBox, authFrame, checkNewPassword, field, kMinPasswordLength, withBusy } from '../ui.js';

export function render(root, ctx) {
  const alert = alertBox();
  const username = field({
    label: 'Administrator username',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const password = field({
    label: 'Password',
    name: 'password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: kMinPasswordLength,
    hint: `At least ${kMinPasswordLength} characters. A short sentence is easy to remember and hard to guess.`,
  });
  const confirm = field({
    label: 'Confirm password',
    name: 'confirm',
    type: 'password',
    autocomplete: 'new-password',
    minlength: kMinPasswordLength,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-block' }, 'Create administrator');
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    alert.el,
    username.wrapper,
    password.wrapper,
    confirm.wrapper,
    submit,
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = username.input.value.trim();
    if (!name) {
      alert.error('Choose a username.');
      username.input.focus();
      return;
    }
    const problem = checkNewPassword(password.input.value, confirm.input.value);
    if (problem) {
      alert.error(problem);
      (password.input.value.length < kMinPasswordLength ? password.input : confirm.input).focus();
      return;
    }
    await withBusy(submit, async () => {
      try {
        const res = await ctx.api.auth.onboard(name, password.input.value);
        ctx.setSession(res.user ?? { name, role: 'admin' });
        ctx.toast(`Welcome, ${name}. Your administrator account is ready.`);
        ctx.navigate('#/');
      } catch (err) {
        if (err.status === 409) {
          // Someone finished onboarding first: this page no longer applies.
          alert.error('An administrator already exists. Log in instead.');
          setTimeout(() => location.reload(), 1500);
        } else {
          alert.error(err.message);
        }
      }
    });
  });

  root.append(
    authFrame(
      { title: 'Welcome to Portier', subtitle: 'No account exists yet. Create the administrator account to begin.' },
      form,
    ),
  );
  setTimeout(() => username.input.focus(), 0);
}
