// Phone: call any extension from this browser (the WebRTC guide's "Making a Call"). The phone itself (phone.js) and
// the in-call controls (call_panel.js) belong to the app shell, so a call goes on when the user leaves this page;
// this page is the dialer and shows every status line of the phone (#phone-status, newest first in the log).
import { h } from '../dom.js';
import { alertBox, card, field, pageHeader } from '../ui.js';

const kDefaultTarget = '1001'; // the guide's pre-filled Operator extension
const kLogLength = 8;

export function render(root, ctx) {
  const phone = ctx.phone;
  const notice = alertBox();
  const target = field({
    label: 'Extension',
    name: 'target',
    value: ctx.query.get('call') || kDefaultTarget,
    inputmode: 'tel',
    autocomplete: 'off',
    hint: 'The number of a phone, a door station or another browser phone.',
  });
  target.input.id = 'phone-target';
  target.wrapper.querySelector('label').setAttribute('for', 'phone-target');
  const callButton = h('button', { type: 'submit', class: 'btn', id: 'phone-call' }, 'Call Extension');
  const status = h('p', { class: 'phone-status', id: 'phone-status', role: 'status', 'aria-live': 'polite' });
  const log = h('ol', { class: 'phone-log', 'aria-label': 'Recent phone messages', 'data-testid': 'phone-log' });

  const showStatus = ({ text, kind }) => {
    status.textContent = text;
    status.dataset.kind = kind;
    log.prepend(h('li', { dataset: { kind } }, text));
    while (log.children.length > kLogLength) log.lastChild.remove();
  };
  const last = phone.lastStatus();
  if (last) showStatus({ text: last, kind: 'info' });
  const update = () => {
    callButton.disabled = phone.state() !== 'idle';
  };
  update();
  const offStatus = phone.on('status', showStatus);
  const offChange = phone.on('change', update);

  const form = h(
    'form',
    { class: 'phone-dialer', novalidate: true },
    target.wrapper,
    h('div', { class: 'form-actions' }, callButton),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    phone.makeCall(target.input.value);
  });

  if (!ctx.features.webrtc) notice.info('The browser phone is not enabled on this server (features.webrtc).');
  root.append(
    pageHeader(ctx.route.title, ctx.route.card),
    h('div', { class: 'phone-layout' }, notice.el, card('Call', form, status), card('Messages', log)),
  );
  return () => {
    offStatus();
    offChange();
  };
}
