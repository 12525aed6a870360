// The door simulator (administrators, demo mode only): press each door's call button, open and close its contact,
// and watch the relay lamps. Reads GET /api/sim/lines every 500 ms while open (and at once on door events); drives
// inputs with POST /api/sim/lines/{name}. Line names are "<door>.relay|button|contact" (src/access/door_demo.cpp).
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { alertBox, loading, pageHeader } from '../ui.js';

const kPollMs = 500;
const kPressMs = 150;
const kRoles = ['relay', 'button', 'contact'];

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
    return h(
      'section',
      { class: 'card sim-door', 'aria-label': `${name} simulator`, dataset: { testid: `sim-door-${id}` } },
      h('h2', {}, name, ' ', h('span', { class: 'muted mono' }, id)),
      h('div', { class: 'sim-controls' }, controls),
      lampBox,
    );
  }

  function otherCard() {
    const box = h('div', { class: 'sim-lamps' });
    lamps.set('', box);
    return h('section', { class: 'card sim-door', 'aria-label': 'Other lines' }, h('h2', {}, 'Other lines'), box);
  }

  function update(lines) {
    const names = lines.map((l) => l.name).join(',');
    const { groups, other } = group(lines);
    if (names !== layout) {
      layout = names;
      lamps.clear();
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
      update(await ctx.api.sim.lines());
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
  };
}
