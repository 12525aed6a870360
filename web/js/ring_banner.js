// The ring banner: when a `ring` event arrives, whatever page is open shows who rang (door, time), plays a short
// two-tone chime made with WebAudio (no audio files, nothing the CSP would block) and offers Unlock for doors the user
// may open. One banner per door: another ring of the same door updates it. Dismissed by its button or after a while.
import { h, clear, shortTime } from './dom.js';
import { icon } from './icons.js';
import { doorErrorText } from './doors_model.js';

const kAutoDismissMs = 3 * 60 * 1000;
const kAfterUnlockDismissMs = 6000;

// A "ding-dong" of two decaying tones. Browsers only let audio start after a user gesture, so prime() (called on the
// first tap or key press anywhere) creates and resumes the AudioContext; before that a ring shows without sound.
export class Chime {
  constructor() {
    this.context_ = null;
  }

  prime() {
    const AudioContextImpl = globalThis.AudioContext ?? globalThis.webkitAudioContext;
    if (!AudioContextImpl) return;
    try {
      if (!this.context_) this.context_ = new AudioContextImpl();
      if (this.context_.state === 'suspended') this.context_.resume().catch(() => {});
    } catch (e) {
      console.warn('chime: no audio:', e.message);
    }
  }

  play() {
    this.prime();
    const ctx = this.context_;
    if (!ctx || ctx.state !== 'running') return false;
    const start = ctx.currentTime + 0.02;
    this.tone_(ctx, 659.25, start, 0.55); // E5
    this.tone_(ctx, 523.25, start + 0.42, 0.8); // C5
    return true;
  }

  tone_(ctx, frequency, at, length) {
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    gain.connect(ctx.destination);
    for (const [type, ratio, level] of [
      ['sine', 1, 1],
      ['triangle', 2, 0.15],
    ]) {
      const osc = ctx.createOscillator();
      const partial = ctx.createGain();
      osc.type = type;
      osc.frequency.setValueAtTime(frequency * ratio, at);
      partial.gain.value = level;
      osc.connect(partial).connect(gain);
      osc.start(at);
      osc.stop(at + length + 0.05);
    }
  }

  close() {
    this.context_?.close().catch(() => {});
    this.context_ = null;
  }
}

// region: the #banner-region element. deps: {api, directory (DoorDirectory), chime (Chime)}.
export class RingBanner {
  constructor(region, deps) {
    this.region_ = region;
    this.api_ = deps.api;
    this.directory_ = deps.directory;
    this.chime_ = deps.chime;
    this.banners_ = new Map(); // door id → {el, count, timer, ...}
  }

  async onEvent(event) {
    if (event.type !== 'ring') return;
    let known = true;
    try {
      const doors = await this.directory_.load();
      if (!doors.has(event.door)) known = Boolean((await this.directory_.load(true)).has(event.door));
    } catch {
      // Without the door list the ring is still worth showing, under the door's id.
    }
    // A ring at a door this user may not open or see is not theirs to answer.
    if (!known) return;
    const banner = this.show_(event);
    // Before the first tap on the page the browser keeps the chime silent; say so instead of failing quietly.
    banner.muted.hidden = this.chime_.play();
    try {
      navigator.vibrate?.([200, 100, 200]);
    } catch {
      // no vibration motor or not allowed yet
    }
  }

  dismissAll() {
    for (const id of [...this.banners_.keys()]) this.dismiss_(id);
  }

  show_(event) {
    const id = event.door;
    let banner = this.banners_.get(id);
    if (!banner) {
      banner = this.create_(id);
      this.banners_.set(id, banner);
      this.region_.prepend(banner.el);
    }
    banner.count += 1;
    banner.title.textContent = `Someone is at the ${this.directory_.name(id)}`;
    banner.when.textContent = `Rang at ${shortTime(event.time)}` + (banner.count > 1 ? ` · ${banner.count} rings` : '');
    banner.status.textContent = '';
    banner.unlock.disabled = false;
    banner.el.classList.remove('ring-banner-pulse');
    void banner.el.offsetWidth; // restart the attention animation
    banner.el.classList.add('ring-banner-pulse');
    clearTimeout(banner.timer);
    banner.timer = setTimeout(() => this.dismiss_(id), kAutoDismissMs);
    return banner;
  }

  create_(id) {
    const title = h('strong', { class: 'ring-title' });
    const when = h('span', { class: 'ring-when' });
    const status = h('span', { class: 'ring-status', role: 'status' });
    const muted = h('span', { class: 'ring-when', hidden: true }, 'No sound yet: tap the page once to allow it.');
    const unlock = h('button', { type: 'button', class: 'btn ring-unlock' }, icon('unlock'), h('span', {}, 'Unlock'));
    const dismiss = h(
      'button',
      { type: 'button', class: 'icon-btn ring-dismiss', 'aria-label': 'Dismiss' },
      icon('close'),
    );
    const el = h(
      'section',
      { class: 'ring-banner', 'aria-label': 'Door bell', dataset: { testid: 'ring-banner', door: id } },
      h('span', { class: 'ring-icon', 'aria-hidden': 'true' }, icon('bell')),
      h('div', { class: 'ring-text' }, title, when, muted, status),
      h('div', { class: 'ring-actions' }, unlock, dismiss),
    );
    const banner = { el, title, when, muted, status, unlock, count: 0, timer: null };
    dismiss.addEventListener('click', () => this.dismiss_(id));
    unlock.addEventListener('click', () => this.unlock_(id, banner));
    return banner;
  }

  async unlock_(id, banner) {
    banner.unlock.disabled = true;
    banner.status.textContent = 'Unlocking…';
    try {
      await this.api_.doors.unlock(id);
      banner.status.textContent = '… Buzzing … the door is unlocked.';
      clearTimeout(banner.timer);
      banner.timer = setTimeout(() => this.dismiss_(id), kAfterUnlockDismissMs);
    } catch (err) {
      banner.status.textContent = doorErrorText(err);
      banner.unlock.disabled = false;
    }
  }

  dismiss_(id) {
    const banner = this.banners_.get(id);
    if (!banner) return;
    clearTimeout(banner.timer);
    banner.el.remove();
    this.banners_.delete(id);
  }

  // Logout: no banners, no cached doors of the previous user.
  reset() {
    this.dismissAll();
    clear(this.region_);
  }
}
