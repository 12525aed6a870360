// The doors page: one big Unlock button per door this user may open, with the door's state kept live from the event
// stream. While a door is unlocked its button is disabled and says "… Buzzing …" (pulse doors, with the seconds until
// it relocks) or "Unlocked" (hold/lock doors, which get a Lock button); the relocked event turns it back to Unlock.
// Contact state and alarms (forced open, left open, relay fault) show on the door's card.
import { h, replaceChildren, shortTime } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, emptyState, liveIndicator, loading, pageHeader } from '../ui.js';
import { applyEvent, doorErrorText, doorState, eventActor, eventLabel } from '../doors_model.js';

const kRingingMs = 30000;
const kRefetchDelayMs = 250;
const kFallbackPollMs = 5000; // while the event stream is down
const kRelockGraceMs = 2500; // no relocked event this long after relock_at: ask the server

const kStateLabels = { locked: 'Locked', unlocked: 'Unlocked', open: 'Open', fault: 'Fault' };

function secondsUntil(iso) {
  if (!iso) return null;
  const ms = new Date(iso).getTime() - Date.now();
  return Number.isNaN(ms) ? null : Math.max(0, Math.ceil(ms / 1000));
}

// One door's card. Owns its elements; update(door) redraws from a snapshot, tick() refreshes the countdown.
// onRefused(message) is called when the server says the door is not (any more) this user's: the page shows the
// message above the list, since the door is about to leave it.
class DoorCard {
  constructor(door, ctx, onRefused) {
    this.ctx_ = ctx;
    this.onRefused_ = onRefused;
    this.door = door;
    this.pending_ = false;
    this.ringingUntil_ = 0;
    this.lastEvent_ = null;
    this.alert_ = alertBox();
    this.name_ = h('h2', { class: 'door-name' });
    this.pill_ = h('span', { class: 'door-pill' });
    this.ringing_ = h('span', { class: 'door-ringing', hidden: true }, icon('bell'), 'Ringing');
    this.contact_ = h('p', { class: 'door-contact' });
    this.alarms_ = h('ul', { class: 'door-alarms', hidden: true });
    this.buttonLabel_ = h('span', {});
    this.button_ = h('button', { type: 'button', class: 'btn door-unlock' }, icon('unlock'), this.buttonLabel_);
    this.countdown_ = h('p', { class: 'door-countdown', 'aria-live': 'polite' });
    this.lock_ = h(
      'button',
      { type: 'button', class: 'btn btn-secondary door-lock', hidden: true },
      icon('lock'),
      'Lock',
    );
    this.activity_ = h('p', { class: 'door-activity muted' });
    this.el = h(
      'section',
      { class: 'card door-card', dataset: { door: door.id, testid: `door-${door.id}` } },
      h('div', { class: 'door-head' }, this.name_, this.ringing_, this.pill_),
      this.contact_,
      this.alarms_,
      this.button_,
      this.countdown_,
      this.lock_,
      this.alert_.el,
      this.activity_,
    );
    this.el.setAttribute('aria-label', door.name || door.id);
    this.button_.addEventListener('click', () => this.unlock_());
    this.lock_.addEventListener('click', () => this.lockDoor_());
    this.update(door);
  }

  update(door) {
    this.door = door;
    const state = doorState(door);
    const unlocked = Boolean(door.unlocked);
    this.el.dataset.state = state;
    this.name_.textContent = door.name || door.id;
    this.pill_.className = `door-pill door-pill-${state}`;
    this.pill_.textContent = kStateLabels[state] ?? state;

    this.contact_.hidden = door.contact !== 'open' && door.contact !== 'closed';
    this.contact_.textContent = door.contact === 'open' ? 'The door is open' : 'The door is closed';
    this.contact_.classList.toggle('door-contact-open', door.contact === 'open');

    const alarms = [];
    if (door.forced_open) alarms.push('Forced open: the door was opened while it was locked.');
    if (door.left_open) alarms.push('Left open: the door has been open too long.');
    if (door.fault) alarms.push(`Relay fault: ${door.fault_message || 'the lock did not respond.'}`);
    replaceChildren(
      this.alarms_,
      alarms.map((text) => h('li', {}, icon('alert'), h('span', {}, text))),
    );
    this.alarms_.hidden = alarms.length === 0;
    this.el.classList.toggle('door-card-alarm', alarms.length > 0);

    const pulse = (door.mode ?? 'pulse') === 'pulse';
    this.button_.disabled = this.pending_ || unlocked;
    this.button_.classList.toggle('door-unlock-active', unlocked);
    if (this.pending_) {
      this.button_.setAttribute('aria-busy', 'true');
      this.buttonLabel_.textContent = 'Unlocking…';
    } else {
      this.button_.removeAttribute('aria-busy');
      this.buttonLabel_.textContent = unlocked ? (pulse ? '… Buzzing …' : 'Unlocked') : 'Unlock';
    }
    this.lock_.hidden = pulse || !unlocked;
    this.tick();
  }

  tick() {
    const unlocked = Boolean(this.door.unlocked);
    const left = unlocked ? secondsUntil(this.door.relock_at) : null;
    this.countdown_.textContent =
      left === null ? (unlocked ? 'Unlocked until someone locks it.' : '') : `Relocks in ${left} s`;
    this.countdown_.hidden = !unlocked;
    this.ringing_.hidden = Date.now() >= this.ringingUntil_;
    // True (once per unlock) when the door should have relocked a while ago: the page then asks the server.
    if (!unlocked || !this.door.relock_at || this.checkedRelock_ === this.door.relock_at) return false;
    if (Date.now() - new Date(this.door.relock_at).getTime() <= kRelockGraceMs) return false;
    this.checkedRelock_ = this.door.relock_at;
    return true;
  }

  onEvent(event) {
    if (event.type === 'ring') this.ringingUntil_ = Date.now() + kRingingMs;
    this.showActivity(event);
    this.update(applyEvent(this.door, event));
  }

  showActivity(event) {
    this.lastEvent_ = event;
    const who = eventActor(event);
    this.activity_.textContent = `Last: ${eventLabel(event.type)}${who ? ` ${who}` : ''} · ${shortTime(event.time)}`;
  }

  async unlock_() {
    if (this.pending_) return;
    this.pending_ = true;
    this.alert_.clear();
    this.update(this.door);
    try {
      const reply = await this.ctx_.api.doors.unlock(this.door.id);
      this.pending_ = false;
      // The relay has moved; the `unlocked` event says the same a moment later.
      this.update(applyEvent(this.door, { type: 'unlocked', relock_at: reply.relock_at }));
    } catch (err) {
      this.pending_ = false;
      this.update(this.door);
      if (err.status === 403 || err.status === 404)
        this.onRefused_(`${this.door.name || this.door.id}: ${doorErrorText(err)}`);
      else this.alert_.error(doorErrorText(err));
    }
  }

  async lockDoor_() {
    this.lock_.disabled = true;
    this.alert_.clear();
    try {
      await this.ctx_.api.doors.lock(this.door.id);
      this.update(applyEvent(this.door, { type: 'relocked' }));
    } catch (err) {
      this.alert_.error(doorErrorText(err));
    } finally {
      this.lock_.disabled = false;
    }
  }
}

export function render(root, ctx) {
  const cards = new Map(); // door id → DoorCard
  const pageAlert = alertBox();
  const grid = h('div', { class: 'door-grid' }, loading('Loading doors…'));
  const live = liveIndicator(ctx.events);
  let refetchTimer = null;
  let pollTimer = null;
  let stopped = false;
  let loadFailed = false;

  root.append(
    h('div', { class: 'page-header-row' }, pageHeader('Doors', 'Tap Unlock to buzz a door open.'), live.el),
    pageAlert.el,
    grid,
  );

  async function load() {
    try {
      // Through the shared door list, so the ring banner and the other pages see permission changes too.
      const doors = [...(await ctx.doors.load(true)).values()];
      if (stopped) return;
      if (loadFailed) pageAlert.clear();
      loadFailed = false;
      const ids = doors.map((d) => d.id);
      const same = ids.length === cards.size && ids.every((id) => cards.has(id));
      if (same) {
        for (const d of doors) cards.get(d.id).update(d);
        return;
      }
      cards.clear();
      for (const d of doors) cards.set(d.id, new DoorCard(d, ctx, refused));
      if (cards.size === 0) {
        replaceChildren(
          grid,
          emptyState(
            ctx.user.role === 'admin'
              ? 'No doors are configured. Add a doors: section to the configuration (or set demo: true).'
              : 'You may not open any door yet. Ask an administrator for access.',
          ),
        );
      } else {
        replaceChildren(
          grid,
          [...cards.values()].map((c) => c.el),
        );
        loadActivity();
      }
    } catch (err) {
      if (stopped) return;
      if (cards.size === 0) replaceChildren(grid);
      loadFailed = true;
      pageAlert.error(`Cannot load the doors: ${err.message}`);
    }
  }

  // The latest event of each door, so a card says what happened last before anything new arrives.
  async function loadActivity() {
    try {
      const events = await ctx.api.events.history({ limit: 50 });
      const seen = new Set();
      for (const e of events) {
        const card = cards.get(e.door);
        if (!card || seen.has(e.door) || card.lastEvent_) continue;
        seen.add(e.door);
        card.showActivity(e);
      }
    } catch {
      // Only a nicety; the doors work without it.
    }
  }

  function refused(message) {
    pageAlert.error(message);
    refetchSoon();
  }

  function refetchSoon() {
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(load, kRefetchDelayMs);
  }

  const unsubscribe = ctx.events.subscribe((event) => {
    const card = cards.get(event.door);
    if (!card) return;
    card.onEvent(event);
    if (event.type !== 'ring') refetchSoon();
  });
  const unwatch = ctx.events.onStatus(({ status, resumed }) => {
    if (status === 'live' && resumed) load();
  });
  const ticker = setInterval(() => {
    let stale = false;
    for (const card of cards.values()) stale = card.tick() || stale;
    if (stale) refetchSoon();
  }, 1000);
  pollTimer = setInterval(() => {
    if (ctx.events.status() !== 'live') load();
  }, kFallbackPollMs);

  load();
  return () => {
    stopped = true;
    unsubscribe();
    unwatch();
    live.dispose();
    clearInterval(ticker);
    clearInterval(pollTimer);
    clearTimeout(refetchTimer);
  };
}
