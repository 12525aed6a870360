// The door simulator (administrators, demo mode only): press each door's call button, open and close its contact,
// and watch the relay lamps. Reads GET /api/sim/lines every 500 ms while open (and at once on door events); drives
// inputs with POST /api/sim/lines/{name}. Line names are "<door>.relay|button|contact" (src/access/door_demo.cpp).
// With the browser phone on, a door with a ring group can also be played by this tab (DoorPhone below).
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, loading, pageHeader } from '../ui.js';

const kPollMs = 500;
const kPressMs = 150;
const kRoles = ['relay', 'button', 'contact'];

// The browser door (docs/webrtc.md, "Demo door"): "Ring as the door (browser)" makes this tab the door station of a
// door through the shell's WebRtcPhone (phone.callAsDoor): it calls the door's ring group, the tab's microphone and
// speaker are the door's, and a resident who answers talks with it. Owns the per-door boxes; borrows the phone (the
// app shell's) and the API. The door's side of the call (ringing, answered by whom) comes from GET /api/calls.
// data-state of each box: idle | starting | ringing | connected | ended.
class DoorPhone {
  constructor(ctx) {
    this.phone_ = ctx.features?.webrtc ? ctx.phone : null;
    this.http_ = ctx.api.http;
    this.boxes_ = new Map(); // door id → {el, status, ring, hangup, group, name}
    this.active_ = null; // the door this tab is playing, while its call lasts
    this.doorCall_ = null; // that door's entry of GET /api/calls ({state, answered_by}) or null
    this.ended_ = new Map(); // door id → how its last browser call ended
    this.noted_ = null; // the state last told to the phone's status line (note)
    this.off_ = this.phone_ ? [this.phone_.on('change', () => this.update())] : [];
  }

  enabled() {
    return Boolean(this.phone_);
  }

  // The box of door `id` (a new element each time the page rebuilds its cards).
  box(id, name, group) {
    const ring = h(
      'button',
      { type: 'button', class: 'btn', dataset: { testid: `sim-ring-as-door-${id}` } },
      icon('phone'),
      h('span', {}, 'Ring as the door (browser)'),
    );
    const hangup = h(
      'button',
      { type: 'button', class: 'btn btn-danger', hidden: true, dataset: { testid: `sim-door-hangup-${id}` } },
      icon('phone'),
      h('span', {}, 'Hang up'),
    );
    const status = h('p', { class: 'sim-phone-status', role: 'status', dataset: { testid: `sim-door-status-${id}` } });
    ring.addEventListener('click', () => {
      this.ended_.delete(id);
      this.phone_.callAsDoor(group, { id, name });
    });
    hangup.addEventListener('click', () => this.phone_.hangup());
    const el = h(
      'div',
      { class: 'sim-phone', dataset: { testid: `sim-door-phone-${id}`, state: 'idle' } },
      h('div', { class: 'sim-phone-actions' }, ring, hangup),
      status,
    );
    this.boxes_.set(id, { el, status, ring, hangup, group, name });
    this.update();
    return el;
  }

  clear() {
    this.boxes_.clear();
  }

  // Reads the door's call while this tab is a door (called with every poll of the page).
  async refresh() {
    const door = this.active_;
    if (!door) return;
    try {
      const r = await this.http_.get('/api/calls');
      if (door !== this.active_) return;
      this.doorCall_ = (r.calls ?? []).find((c) => c.door === door) ?? null;
    } catch {
      this.doorCall_ = null; // the phone's own state still shows
    }
    this.update();
  }

  update() {
    const phone = this.phone_;
    if (!phone) return;
    const call = phone.call();
    const playing = call?.direction === 'out' && call.asDoor ? call.asDoor : null;
    if (this.active_ && this.active_ !== playing) {
      this.ended_.set(this.active_, phone.lastStatus() ?? 'Call ended');
      this.doorCall_ = null;
    }
    if (playing && this.active_ !== playing) this.refresh();
    this.active_ = playing;
    this.noted_ = playing ? this.noted_ : null;
    for (const [id, box] of this.boxes_) {
      const [state, text] = this.describe_(id, box);
      box.el.dataset.state = state;
      box.status.textContent = text;
      box.ring.hidden = state !== 'idle' && state !== 'ended';
      box.ring.disabled = phone.state() !== 'idle';
      box.hangup.hidden = !box.ring.hidden;
      if (id === playing && phone.state() === 'in_call' && this.noted_ !== state) {
        this.noted_ = state; // the call panel's status line says the same (the door leg itself is up at once)
        phone.note(text, state === 'connected' ? 'success' : 'info');
      }
    }
  }

  // [state, text] of one door's box.
  describe_(id, box) {
    const phone = this.phone_;
    if (this.active_ !== id) {
      if (this.ended_.has(id)) return ['ended', `Ended: ${this.ended_.get(id)}`];
      return ['idle', `Rings ring group ${box.group}; this tab's microphone and speaker are the door's.`];
    }
    const state = phone.state();
    if (state === 'starting') return ['starting', phone.lastStatus() ?? 'Starting…'];
    if (state === 'in_call' && this.doorCall_?.state === 'answered') {
      // A "webrtc:*" member answers as "webrtc:*" (the intercom names the member, not the browser's user).
      const by = this.doorCall_.answered_by;
      const who = by && by !== 'webrtc:*' ? by : 'a resident';
      return ['connected', `Connected with ${who}. Talk, then hang up (or let them unlock).`];
    }
    return ['ringing', `Ringing ring group ${box.group}… (answer in another tab)`];
  }

  stop() {
    for (const off of this.off_) off();
    this.off_ = [];
  }
}

function lamp(line, onText, offText) {
  const on = line.value === 1;
  return h(
    'div',
    { class: 'lamp-row', dataset: { line: line.name, value: String(line.value) } },
    h('span', { class: ['lamp', `lamp-${line.direction}`, on && 'lamp-on'], 'aria-hidden': 'true' }),
    h(
      'span',
      { class: 'lamp-label' },
      h('span', { class: 'lamp-value' }, on ? onText : offText),
      h('span', { class: 'lamp-name' }, line.name),
    ),
    h('span', { class: 'lamp-changes' }, `${line.changes ?? 0} changes`),
  );
}

export function render(root, ctx) {
  const alert = alertBox();
  const body = h('div', {}, loading('Reading the simulated lines…'));
  const lamps = new Map(); // group → element holding its lamps
  const doorPhone = new DoorPhone(ctx);
  let ringGroups = new Map(); // door id → the ring group this tab calls to be that door (GET /api/sim/lines doors)
  let layout = ''; // the line names the page was built for
  let timer = null;
  let stopped = false;
  let inFlight = false;

  root.append(
    pageHeader(
      'Door simulator',
      'Demo mode: play the hardware. Press a call button or open a door and watch the other pages react.',
    ),
    alert.el,
    body,
  );

  async function drive(name, value) {
    try {
      await ctx.api.sim.drive(name, value);
      alert.clear();
    } catch (err) {
      alert.error(`Could not drive ${name}: ${err.message}`);
      throw err;
    }
  }

  async function press(name, button) {
    button.disabled = true;
    try {
      await drive(name, 1);
      await new Promise((r) => setTimeout(r, kPressMs));
      await drive(name, 0);
    } catch {
      // shown by drive()
    } finally {
      button.disabled = false;
      poll();
    }
  }

  // Groups lines by door: {front: {relay, button, contact}, ...}; lines of another shape go to "Other lines".
  function group(lines) {
    const groups = new Map();
    const other = [];
    for (const line of lines) {
      const dot = line.name.lastIndexOf('.');
      const role = line.name.slice(dot + 1);
      if (dot <= 0 || !kRoles.includes(role)) {
        other.push(line);
        continue;
      }
      const id = line.name.slice(0, dot);
      if (!groups.has(id)) groups.set(id, {});
      groups.get(id)[role] = line;
    }
    return { groups, other };
  }

  function doorCard(id, g) {
    const name = ctx.doors.name(id);
    const controls = [];
    if (g.button && g.button.direction === 'input') {
      const b = h(
        'button',
        { type: 'button', class: 'btn', 'aria-label': `Press the ${name} call button` },
        icon('bell'),
        h('span', {}, 'Press button'),
      );
      b.addEventListener('click', () => press(g.button.name, b));
      controls.push(b);
    }
    if (g.contact && g.contact.direction === 'input') {
      const b = h(
        'button',
        { type: 'button', class: 'btn btn-secondary', dataset: { line: g.contact.name } },
        icon('door'),
        h('span', {}, 'Open door'),
      );
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          await drive(g.contact.name, b.dataset.value === '1' ? 0 : 1);
        } catch {
          // shown by drive()
        } finally {
          b.disabled = false;
          poll();
        }
      });
      controls.push(b);
    }
    const lampBox = h('div', { class: 'sim-lamps' });
    lamps.set(id, lampBox);
    const group = ringGroups.get(id);
    return h(
      'section',
      { class: 'card sim-door', 'aria-label': `${name} simulator`, dataset: { testid: `sim-door-${id}` } },
      h('h2', {}, name, ' ', h('span', { class: 'muted mono' }, id)),
      h('div', { class: 'sim-controls' }, controls),
      group && doorPhone.enabled() ? doorPhone.box(id, name, group) : null,
      lampBox,
    );
  }

  function otherCard() {
    const box = h('div', { class: 'sim-lamps' });
    lamps.set('', box);
    return h('section', { class: 'card sim-door', 'aria-label': 'Other lines' }, h('h2', {}, 'Other lines'), box);
  }

  function update({ lines = [], doors = [] }) {
    ringGroups = new Map(doors.filter((d) => d.ring_group).map((d) => [d.id, d.ring_group]));
    const names = [...lines.map((l) => l.name), ...[...ringGroups].map(([d, g]) => `${d}=${g}`)].join(',');
    const { groups, other } = group(lines);
    if (names !== layout) {
      layout = names;
      lamps.clear();
      doorPhone.clear();
      // In the order of the door list (front before back); groups that are no door last.
      const known = ctx.doors.ids();
      const rank = (id) => (known.includes(id) ? known.indexOf(id) : known.length);
      const cards = [...groups].sort(([a], [b]) => rank(a) - rank(b)).map(([id, g]) => doorCard(id, g));
      if (other.length) cards.push(otherCard());
      replaceChildren(body, h('div', { class: 'sim-grid' }, cards));
    }
    for (const [id, g] of groups) {
      const rows = [];
      if (g.relay) rows.push(lamp(g.relay, 'Relay on: unlocked', 'Relay off: locked'));
      if (g.button) rows.push(lamp(g.button, 'Button pressed', 'Button released'));
      if (g.contact) rows.push(lamp(g.contact, 'Door open', 'Door closed'));
      replaceChildren(lamps.get(id), rows);
      const toggle = g.contact && body.querySelector(`button[data-line="${CSS.escape(g.contact.name)}"]`);
      if (toggle) {
        toggle.dataset.value = String(g.contact.value);
        toggle.lastChild.textContent = g.contact.value === 1 ? 'Close door' : 'Open door';
      }
    }
    if (other.length)
      replaceChildren(
        lamps.get(''),
        other.map((l) => lamp(l, 'On', 'Off')),
      );
  }

  async function poll() {
    if (stopped || inFlight) return;
    inFlight = true;
    try {
      update(await ctx.api.http.get('/api/sim/lines'));
      await doorPhone.refresh();
    } catch (err) {
      if (err.status === 404) {
        stop();
        replaceChildren(
          body,
          h(
            'div',
            { class: 'card placeholder' },
            icon('chip', 'icon icon-xl'),
            h('h2', {}, 'Not in demo mode'),
            h('p', { class: 'muted' }, 'The door simulator exists only when the server runs with demo: true.'),
          ),
        );
      } else {
        alert.error(`Cannot read the simulated lines: ${err.message}`);
      }
    } finally {
      inFlight = false;
    }
  }

  function stop() {
    stopped = true;
    clearInterval(timer);
  }

  const unsubscribe = ctx.events.subscribe(() => poll());
  ctx.doors
    .load()
    .catch(() => null)
    .then(() => {
      if (stopped) return;
      poll();
      timer = setInterval(() => {
        if (document.visibilityState === 'visible') poll();
      }, kPollMs);
    });
  return () => {
    stop();
    unsubscribe();
    doorPhone.stop(); // a call in progress goes on: the shell's call panel shows it on every page
  };
}
