// Portier web UI entry point: loads the auth state, owns the page shell (top bar, navigation, toasts) and routes
// hash URLs (#/path?query) to page modules. A page module exports `render(root, ctx)` and may return a cleanup
// function that runs when the user leaves the page (for sockets and timers of later pages).
// ctx: {route, query (URLSearchParams of the hash), user {name, role}, flash {kind, message} | null, api (api.js),
//       navigate(hash), toast(message, kind), setSession(user), logout(), afterLogin(),
//       events (the live EventClient), doors (DoorDirectory of the doors this user may see), features {sim, sip, passes,
//       devices, webrtc}, phone (the WebRtcPhone)}
// While someone is logged in the app keeps one WebSocket to /api/events open (events.js) and shows the ring banner
// (ring_banner.js) on every page. The browser phone (phone.js) belongs to the shell too: its {"type":"webrtc"} events
// come over the same socket, and its call panel (call_panel.js) shows incoming and current calls on every page.
import * as api from './api.js';
import { h, clear, replaceChildren } from './dom.js';
import { CallPanel, Ringer } from './call_panel.js';
import { DoorDirectory } from './doors_model.js';
import { EventClient } from './events.js';
import { icon } from './icons.js';
import { WebRtcPhone } from './phone.js';
import { Chime, RingBanner } from './ring_banner.js';
import { routes, findRoute } from './routes.js';
import { setToastRegion, toast, loading } from './ui.js';

const session = {
  user: null, // {name, role} when logged in
  onboardingRequired: false,
  flash: null, // one-shot message for the next page (e.g. "You have been logged out.")
  // from /api/auth/state: sim = demo mode (simulator), sip = SIP server runs, passes = guest passes on, devices = MQTT
  // devices are configured, webrtc = the browser phone's gateway runs
  features: { sim: false, sip: false, passes: false, devices: false, webrtc: false },
};

// The live part of a session: started when someone logs in, stopped when they log out or the session ends.
const live = {
  user: null, // name of the user the connection belongs to
  events: new EventClient({ onHandshakeFailed: () => checkSessionAfterSocketFailure() }),
  doors: new DoorDirectory(api),
  chime: new Chime(),
  banner: null, // RingBanner, created in wireShell
  phone: null, // WebRtcPhone, created in wireShell (also window.portierPhone)
  unsubscribe: null,
};

let currentCleanup = null;
let renderSeq = 0;

const el = {
  body: document.body,
  topbar: document.getElementById('topbar'),
  nav: document.getElementById('nav'),
  navList: document.getElementById('nav-list'),
  main: document.getElementById('main'),
  menuButton: document.getElementById('menu-btn'),
  userChip: document.getElementById('user-chip'),
  logoutButton: document.getElementById('logout-btn'),
  backdrop: document.getElementById('nav-backdrop'),
};

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const [path, query] = raw.split('?');
  return { path: path && path.startsWith('/') ? path : '/', query: new URLSearchParams(query ?? '') };
}

export function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) {
    render();
  } else if (replace) {
    location.replace(hash);
  } else {
    location.hash = hash;
  }
}

function setSession(user) {
  session.user = user ?? null;
  if (user) session.onboardingRequired = false;
  renderChrome();
}

async function loadAuthState() {
  const state = await api.auth.state();
  session.onboardingRequired = Boolean(state.onboarding_required);
  session.user = state.authenticated && state.user ? state.user : null;
  // What the server offers is server-wide and known before login: sim = demo mode, sip = the SIP server runs.
  session.features = {
    sim: Boolean(state.features?.sim),
    sip: Boolean(state.features?.sip),
    passes: Boolean(state.features?.passes),
    devices: Boolean(state.features?.devices),
    webrtc: Boolean(state.features?.webrtc),
  };
}

async function logout() {
  try {
    await api.auth.logout();
  } catch (e) {
    // The session is gone locally either way; a failed logout call only means the server already forgot it.
    console.warn('logout:', e.message);
  }
  session.user = null;
  session.flash = { kind: 'info', message: 'You have been logged out.' };
  renderChrome();
  navigate('#/login');
}

// Decides where a path may go for the current session: {route} to render it, or {redirect}.
function resolve(path, query) {
  const route = findRoute(path);
  if (session.onboardingRequired) return route?.access === 'onboarding' ? { route } : { redirect: '#/onboarding' };
  if (!route) return { route: null };
  if (route.access === 'onboarding') return { redirect: session.user ? '#/' : '#/login' };
  if (route.access === 'guest') return session.user ? { redirect: safeNext(query.get('next')) } : { route };
  if (!session.user) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path)}`;
    return { redirect: `#/login${next}` };
  }
  if (route.access === 'admin' && session.user.role !== 'admin') return { route, forbidden: true };
  return { route };
}

// Where to go after logging in: the page asked for, when it is a page of this app the user may open; else home.
function safeNext(next) {
  const route = next && /^\/[a-z0-9/_-]*$/i.test(next) ? findRoute(next) : null;
  if (!route || route.access === 'guest' || route.access === 'onboarding') return '#/';
  if (route.access === 'admin' && session.user?.role !== 'admin') return '#/';
  return `#${route.path}`;
}

// Starts or stops the event connection and the ring banner to match the session; called whenever it may change.
function syncLive() {
  const name = session.user ? session.user.name : null;
  if (name === live.user) return;
  if (live.user !== null) {
    live.unsubscribe?.();
    live.unsubscribe = null;
    live.events.stop();
    live.banner.reset();
    live.phone.shutdown();
    live.phone.stopListening();
    live.doors.clear();
  }
  live.user = name;
  if (name === null) return;
  live.unsubscribe = live.events.subscribe((event) => {
    if (event.type === 'webrtc') return live.phone.handleEvent(event);
    return live.banner.onEvent(event).catch((e) => console.error('ring banner:', e));
  });
  live.events.start();
  if (session.features?.webrtc) live.phone.listen(); // reachable for ring groups (webrtc:<user>)
}

// A WebSocket that closes before its hello may mean the session is gone (the browser hides the HTTP status).
async function checkSessionAfterSocketFailure() {
  if (!session.user) return;
  try {
    const state = await api.auth.state();
    if (session.user && !state.authenticated) sessionEnded();
  } catch {
    // The server is unreachable; the event client keeps retrying.
  }
}

function sessionEnded() {
  if (!session.user) return;
  session.user = null;
  session.flash = { kind: 'info', message: 'Your session has ended. Please log in again.' };
  renderChrome();
  render();
}

function renderChrome() {
  syncLive();
  const loggedIn = Boolean(session.user);
  el.body.classList.toggle('layout-app', loggedIn);
  el.body.classList.toggle('layout-auth', !loggedIn);
  el.body.classList.remove('layout-loading');
  el.topbar.hidden = !loggedIn;
  el.nav.hidden = !loggedIn;
  closeNav();
  if (!loggedIn) {
    clear(el.navList);
    clear(el.userChip);
    return;
  }
  replaceChildren(
    el.userChip,
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, session.user.name.slice(0, 1).toUpperCase()),
    h('span', { class: 'user-name', 'data-testid': 'current-user' }, session.user.name),
    h('span', { class: `role role-${session.user.role}` }, session.user.role),
  );
  replaceChildren(
    el.navList,
    routes
      .filter((r) => r.nav && (r.access !== 'admin' || session.user.role === 'admin'))
      .filter((r) => !r.feature || session.features[r.feature])
      .map((r) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#${r.path}`, class: 'nav-link', dataset: { path: r.path } },
            icon(r.icon),
            h('span', {}, r.title),
            r.soon ? h('span', { class: 'badge' }, 'soon') : null,
          ),
        ),
      ),
  );
  markCurrentNav();
}

function markCurrentNav() {
  const { path } = parseHash();
  for (const link of el.navList.querySelectorAll('a')) {
    if (link.dataset.path === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function openNav() {
  el.body.classList.add('nav-open');
  el.menuButton.setAttribute('aria-expanded', 'true');
  el.menuButton.setAttribute('aria-label', 'Close menu');
  el.navList.querySelector('a')?.focus();
}

function closeNav() {
  if (!el.body.classList.contains('nav-open')) return;
  el.body.classList.remove('nav-open');
  el.menuButton.setAttribute('aria-expanded', 'false');
  el.menuButton.setAttribute('aria-label', 'Open menu');
}

function messagePage(title, text, action) {
  return h(
    'div',
    { class: 'card placeholder' },
    icon('alert', 'icon icon-xl'),
    h('h1', { tabindex: '-1' }, title),
    h('p', { class: 'muted' }, text),
    action ?? h('a', { class: 'btn btn-secondary', href: '#/' }, 'Back to home'),
  );
}

async function render() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const target = resolve(path, query);
  if (target.redirect) {
    navigate(target.redirect, { replace: true });
    return;
  }

  if (currentCleanup) {
    try {
      currentCleanup();
    } catch (e) {
      console.error('page cleanup:', e);
    }
    currentCleanup = null;
  }
  closeNav();
  markCurrentNav();

  const root = h('div', { class: 'page', dataset: { page: target.route ? target.route.path : 'not-found' } });
  replaceChildren(el.main, root);

  if (!target.route) {
    document.title = 'Not found · Portier';
    root.append(messagePage('Page not found', `There is no page at ${path}.`));
    focusHeading(root);
    return;
  }
  document.title = `${target.route.title} · Portier`;
  if (target.forbidden) {
    root.append(messagePage('Administrators only', 'Your account may not open this page.'));
    focusHeading(root);
    return;
  }

  root.append(loading());
  const flash = session.flash;
  session.flash = null;
  try {
    const module = await target.route.page();
    if (seq !== renderSeq) return; // the user moved on while the module loaded
    clear(root);
    const ctx = {
      route: target.route,
      query,
      user: session.user,
      flash,
      api,
      navigate,
      toast,
      setSession,
      logout,
      afterLogin: () => navigate(safeNext(query.get('next'))),
      events: live.events,
      doors: live.doors,
      features: session.features,
      phone: live.phone,
    };
    const cleanup = await module.render(root, ctx);
    if (seq !== renderSeq) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    currentCleanup = typeof cleanup === 'function' ? cleanup : null;
    focusHeading(root);
  } catch (e) {
    if (seq !== renderSeq) return;
    console.error('page render:', e);
    replaceChildren(root, messagePage('Something went wrong', e.message || String(e)));
  }
}

// After each navigation, move focus to the page title so screen readers announce the new page.
function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading && !el.body.classList.contains('nav-open')) heading.focus({ preventScroll: true });
}

function wireShell() {
  setToastRegion(document.getElementById('toasts'));
  document.querySelector('.brand-icon')?.append(icon('logo', 'icon icon-logo'));
  document.querySelector('.auth-brand-icon')?.append(icon('logo', 'icon icon-logo'));
  el.menuButton.append(icon('menu'));
  el.logoutButton.prepend(icon('logout'));
  el.logoutButton.addEventListener('click', logout);
  el.menuButton.addEventListener('click', () => (el.body.classList.contains('nav-open') ? closeNav() : openNav()));
  el.backdrop.addEventListener('click', closeNav);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && el.body.classList.contains('nav-open')) {
      closeNav();
      el.menuButton.focus();
    }
  });
  // The skip link must not change the hash (that is the router's), so it moves focus itself.
  document.querySelector('.skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    el.main.focus();
  });
  api.onUnauthorized(sessionEnded);

  live.banner = new RingBanner(document.getElementById('banner-region'), {
    api,
    directory: live.doors,
    chime: live.chime,
  });
  live.phone = new WebRtcPhone({ http: api.http, doors: api.doors, ring: new Ringer(live.chime) });
  window.portierPhone = live.phone; // for the console and the E2E tests
  new CallPanel(document.getElementById('banner-region'), live.phone); // lives as long as the page
  window.addEventListener('pagehide', () => {
    live.phone.shutdown();
    live.phone.stopListening();
  });
  // Browsers allow sound only after a user gesture: the first tap or key press unlocks the ring chime.
  const prime = () => live.chime.prime();
  document.addEventListener('pointerdown', prime, { capture: true, passive: true });
  document.addEventListener('keydown', prime, { capture: true, passive: true });
  // Back from the background or the network returned: reconnect now rather than after the backoff.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') live.events.wake();
  });
  window.addEventListener('online', () => live.events.wake());
}

async function boot() {
  wireShell();
  replaceChildren(el.main, loading('Connecting to Portier…'));
  try {
    await loadAuthState();
  } catch (e) {
    el.body.classList.remove('layout-loading');
    el.body.classList.add('layout-auth');
    const retry = h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Try again');
    replaceChildren(el.main, messagePage('Cannot reach Portier', e.message, retry));
    return;
  }
  renderChrome();
  window.addEventListener('hashchange', render);
  render();
}

boot();
