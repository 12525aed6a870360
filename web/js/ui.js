// Shared widgets for pages: labelled form fields, alert boxes, busy buttons, toasts, confirm dialogs, copy button.
import { h, clear, uniqueId } from './dom.js';
import { icon } from './icons.js';

// A labelled input with an optional hint; the hint is linked through aria-describedby.
export function field({ label, name, type = 'text', value, hint, autocomplete, required = true, ...attrs }) {
  const id = uniqueId(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', {
    id,
    name,
    type,
    value,
    autocomplete,
    required,
    'aria-describedby': hintId,
    ...attrs,
  });
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
  return { wrapper, input };
}

export function selectField({ label, name, options, value }) {
  const id = uniqueId(`f-${name}`);
  const select = h(
    'select',
    { id, name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return { wrapper: h('div', { class: 'field' }, h('label', { for: id }, label), select), input: select };
}

// An alert region that stays in the DOM (so screen readers pick up changes) and is hidden while empty.
export function alertBox() {
  const el = h('div', { class: 'alert', role: 'alert', hidden: true });
  const show = (kind, message) => {
    clear(el);
    el.className = `alert alert-${kind}`;
    el.append(icon(kind === 'success' ? 'check' : 'alert'), h('span', {}, message));
    el.hidden = false;
  };
  return {
    el,
    error: (message) => show('error', message),
    success: (message) => show('success', message),
    info: (message) => show('info', message),
    clear() {
      el.hidden = true;
      clear(el);
    },
  };
}

// Disables a submit button (and marks it busy) while fn runs, so double clicks send one request.
export async function withBusy(button, fn) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

let toastRegion = null;
export function setToastRegion(el) {
  toastRegion = el;
}

export function toast(message, kind = 'success') {
  if (!toastRegion) return;
  const el = h(
    'div',
    { class: `toast toast-${kind}` },
    icon(kind === 'error' ? 'alert' : 'check'),
    h('span', {}, message),
  );
  toastRegion.append(el);
  setTimeout(() => el.classList.add('toast-leave'), 3500);
  setTimeout(() => el.remove(), 4000);
}

// A modal confirmation built on <dialog>: focus is trapped by the browser, Escape cancels.
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const titleId = uniqueId('dlg');
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary', value: 'cancel' }, 'Cancel');
    const ok = h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn', value: 'ok' }, confirmLabel);
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, message),
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    const finish = (result) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => finish(false));
    ok.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

async function copyText(text, fallbackInput) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection-based copy
  }
  if (!fallbackInput) return false;
  fallbackInput.focus();
  fallbackInput.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

// A read-only value with a Copy button; the button says "Copied" for a moment after success.
export function copyField({ label, value }) {
  const id = uniqueId('copy');
  const input = h('input', { id, type: 'text', readonly: true, value, class: 'mono', spellcheck: 'false' });
  const button = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('copy'), h('span', {}, 'Copy'));
  const status = h('span', { class: 'visually-hidden', role: 'status' });
  input.addEventListener('focus', () => input.select());
  button.addEventListener('click', async () => {
    const ok = await copyText(value, input);
    button.lastChild.textContent = ok ? 'Copied' : 'Select and copy';
    status.textContent = ok ? 'Token copied to the clipboard' : 'Copy failed; select the text and copy it';
    setTimeout(() => {
      button.lastChild.textContent = 'Copy';
    }, 2000);
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('div', { class: 'copy-row' }, input, button),
    status,
  );
}

export function pageHeader(title, subtitle) {
  return h(
    'header',
    { class: 'page-header' },
    h('h1', { tabindex: '-1' }, title),
    subtitle ? h('p', { class: 'subtitle' }, subtitle) : null,
  );
}

export function card(title, ...children) {
  const id = uniqueId('card');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function emptyState(text) {
  return h('p', { class: 'empty' }, text);
}

export const kMinPasswordLength = 10;

// Returns an error text for a new password pair, or null when acceptable.
export function checkNewPassword(password, confirm) {
  if (password.length < kMinPasswordLength) return `The password must have at least ${kMinPasswordLength} characters.`;
  if (password !== confirm) return 'The two passwords do not match.';
  return null;
}

// The centred card used by the logged-out pages (login, onboarding).
export function authFrame({ title, subtitle }, ...content) {
  return h(
    'div',
    { class: 'auth-frame' },
    h('div', { class: 'auth-brand' }, h('span', { class: 'auth-logo' }, icon('logo', 'icon icon-logo')), 'Portier'),
    h(
      'div',
      { class: 'card auth-card' },
      h('h1', { tabindex: '-1' }, title),
      subtitle ? h('p', { class: 'subtitle' }, subtitle) : null,
      content,
    ),
  );
}

// "Live" / "Reconnecting…" pill for pages that show events as they happen. Returns {el, dispose}.
export function liveIndicator(events) {
  const text = h('span', {});
  const el = h(
    'span',
    { class: 'live', role: 'status', dataset: { testid: 'live-status' } },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
    text,
  );
  const labels = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting…', stopped: 'Offline' };
  const show = (status) => {
    el.dataset.status = status;
    text.textContent = labels[status] ?? status;
  };
  show(events.status());
  const dispose = events.onStatus(({ status }) => show(status));
  return { el, dispose };
}

// <thead> with one column header per title (a title may be a node, e.g. a visually hidden label).
export function tableHead(...titles) {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      titles.map((t) => h('th', { scope: 'col' }, t)),
    ),
  );
}
