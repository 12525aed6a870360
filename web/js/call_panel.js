// The call panel: while the browser phone (phone.js) has a call, whatever page is open shows who it is with (and the
// door camera's snapshot for door calls), the call's status line and its controls: Answer / Decline while it rings
// here; Mute, volume, keypad, Unlock (door calls) and Hang up once connected. Built once by the app shell in the
// banner region and updated in place (so the volume slider is never rebuilt under the user's finger).
import { h } from './dom.js';
import { icon } from './icons.js';

const kDigits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

// The ring of an incoming call: the shell's chime, repeated until answered, declined or ended.
export class Ringer {
  constructor(chime) {
    this.chime_ = chime;
    this.timer_ = null;
  }

  start() {
    this.stop();
    const ring = () => {
      this.chime_.play();
      try {
        navigator.vibrate?.([300, 150, 300]);
      } catch {
        // no vibration motor or not allowed yet
      }
    };
    ring();
    this.timer_ = setInterval(ring, 3000);
  }

  stop() {
    clearInterval(this.timer_);
    this.timer_ = null;
  }
}

export class CallPanel {
  // region: the #banner-region element; phone: the WebRtcPhone.
  constructor(region, phone) {
    this.phone_ = phone;
    this.build_();
    region.prepend(this.el_);
    phone.on('change', () => this.update_());
    phone.on('status', ({ text, kind }) => {
      this.status_.textContent = text;
      this.status_.dataset.kind = kind;
    });
    this.update_();
  }

  build_() {
    const button = (id, label, iconName, cls, onclick) => {
      const content = [iconName ? icon(iconName) : null, h('span', {}, label)];
      const b = h('button', { type: 'button', id, class: `btn ${cls}` }, content);
      b.addEventListener('click', onclick);
      return b;
    };
    const phone = this.phone_;
    this.title_ = h('strong', { class: 'call-title', 'data-testid': 'call-title' });
    this.status_ = h('span', { class: 'call-status', role: 'status', id: 'call-status' });
    this.snapshot_ = h('img', { class: 'call-snapshot', alt: 'Door camera snapshot', hidden: true });
    this.answer_ = button('phone-answer', 'Answer', 'phone', 'call-answer', () => phone.answer());
    this.decline_ = button('phone-decline', 'Decline', 'close', 'btn-danger', () => phone.decline());
    this.hangup_ = button('phone-hangup', 'Hang up', 'phone', 'btn-danger', () => phone.hangup());
    this.unlock_ = button('phone-unlock', 'Unlock', 'unlock', 'btn-secondary', () => phone.unlock());
    this.mute_ = button('phone-mute', 'Mute', null, 'btn-secondary', () => phone.setMuted(!phone.muted()));
    this.mute_.setAttribute('aria-pressed', 'false');
    this.volume_ = h('input', { type: 'range', id: 'phone-volume', min: '0', max: '1', step: '0.05', value: '1' });
    this.volume_.addEventListener('input', () => phone.setVolume(this.volume_.value));
    this.keypad_ = h(
      'div',
      { class: 'call-keypad', role: 'group', 'aria-label': 'Keypad' },
      kDigits.map((d) => {
        const key = h('button', { type: 'button', class: 'btn btn-secondary call-key', dataset: { digit: d } }, d);
        key.addEventListener('click', () => phone.sendDtmf(d));
        return key;
      }),
    );
    this.talk_ = h(
      'div',
      { class: 'call-talk' },
      h('div', { class: 'call-row' }, this.mute_, h('label', { class: 'call-volume' }, 'Volume', this.volume_)),
      this.keypad_,
    );
    this.el_ = h(
      'section',
      { class: 'call-panel', 'aria-label': 'Phone call', hidden: true, dataset: { testid: 'call-panel' } },
      h(
        'div',
        { class: 'call-head' },
        h('span', { class: 'ring-icon', 'aria-hidden': 'true' }, icon('phone')),
        h('div', { class: 'call-text' }, this.title_, this.status_),
      ),
      this.snapshot_,
      this.talk_,
      h('div', { class: 'call-row call-actions' }, this.answer_, this.decline_, this.unlock_, this.hangup_),
    );
  }

  update_() {
    const phone = this.phone_;
    const state = phone.state();
    const call = phone.call();
    this.el_.hidden = state === 'idle' || !call;
    this.el_.dataset.state = state;
    if (!call) return;
    const door = call.door;
    this.title_.textContent =
      call.direction === 'in'
        ? door
          ? `Door call: ${call.peer}`
          : `Call from ${call.peer}`
        : `Extension ${call.peer}`;
    const snapshot = call.snapshotUrl;
    if (snapshot && this.snapshot_.getAttribute('src') !== snapshot) this.snapshot_.src = snapshot;
    this.snapshot_.hidden = !call.snapshotUrl;
    const ringing = state === 'incoming';
    this.answer_.hidden = this.decline_.hidden = !ringing;
    this.hangup_.hidden = ringing;
    this.talk_.hidden = state !== 'in_call';
    this.unlock_.hidden = !(door && (state === 'in_call' || ringing));
    this.mute_.querySelector('span').textContent = phone.muted() ? 'Unmute' : 'Mute';
    this.mute_.setAttribute('aria-pressed', String(phone.muted()));
    if (document.activeElement !== this.volume_) this.volume_.value = String(phone.volume());
  }
}
