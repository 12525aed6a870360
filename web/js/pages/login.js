// Log in with username and password. Every credential failure shows the same text, so the page never tells
// whether a user name exists; 429 (rate limited / locked out) has its own message.
import { h } from '../dom.js';
import { alertBox, authFrame, field, withBusy } from '../ui.js';

export const kBadCredentials = 'Invalid username or password.';
export const kTooManyAttempts = 'Too many attempts, try again later';

// " (in about 15 minutes)." from a Retry-After header in seconds; empty when the server sent none.
function retryHint(seconds) {
  if (!seconds || seconds <= 0) return '.';
  if (seconds < 90) return ` (in about ${Math.ceil(seconds)} seconds).`;
  const minutes = Math.ceil(seconds / 60);
  return ` (in about ${minutes} minute${minutes === 1 ? '' : 's'}).`;
}

export function render(root, ctx) {
  const alert = alertBox();
  const username = field({
    label: 'Username',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const password = field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', class: 'btn btn-block' }, 'Log in');
  const form = h('form', { class: 'form', novalidate: true }, alert.el, username.wrapper, password.wrapper, submit);

  if (ctx.flash) alert[ctx.flash.kind === 'error' ? 'error' : 'info'](ctx.flash.message);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = username.input.value.trim();
    const pass = password.input.value;
    if (!name || !pass) {
      alert.error('Enter your username and password.');
      (name ? password.input : username.input).focus();
      return;
    }
    await withBusy(submit, async () => {
      try {
        const res = await ctx.api.auth.login(name, pass);
        ctx.setSession(res.user ?? { name, role: 'resident' });
        ctx.afterLogin();
      } catch (err) {
        if (err.status === 429) alert.error(`${kTooManyAttempts}${retryHint(err.retryAfter)}`);
        else if (err.status === 401 || err.status === 400 || err.status === 403) alert.error(kBadCredentials);
        else alert.error(err.message);
        password.input.value = '';
        password.input.focus();
      }
    });
  });

  root.append(authFrame({ title: 'Log in', subtitle: 'Sign in to open doors and answer the intercom.' }, form));
  setTimeout(() => username.input.focus(), 0);
}
