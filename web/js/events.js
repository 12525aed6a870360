// The one live connection of the app: a WebSocket to /api/events (docs/api.md), opened after login and closed on
// logout. It reconnects with a growing, jittered delay and resumes with ?after=<last id seen>, so a page that was
// offline for a moment still gets every event it missed (the server replays up to 500; EventClient reports a larger
// gap so pages reload their lists). Pages and the ring banner subscribe; a throwing subscriber never stops the others.
//
// status(): 'stopped' | 'connecting' | 'live' | 'offline'. onStatus handlers get {status, resumed, gap} where
// `resumed` is true on every live connection after the first (pages refetch then) and `gap` when more events were
// missed than the server replays.

const kBackoffMs = [1000, 2000, 4000, 8000, 15000, 30000];
const kReplayLimit = 500; // what the server replays on ?after= (src/api/api_server.cpp)

function defaultUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/events`;
}

export class EventClient {
  // options (all optional, for tests): WebSocket, url() → string, setTimeout, clearTimeout, random() → [0,1),
  // onHandshakeFailed() — called when a connection closes before the server said hello (the session may be gone).
  constructor(options = {}) {
    this.WebSocket_ = options.WebSocket ?? globalThis.WebSocket;
    this.url_ = options.url ?? defaultUrl;
    this.setTimeout_ = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimeout_ = options.clearTimeout ?? ((id) => clearTimeout(id));
    this.random_ = options.random ?? Math.random;
    this.onHandshakeFailed_ = options.onHandshakeFailed ?? null;
    this.subscribers_ = new Set();
    this.statusHandlers_ = new Set();
    this.socket_ = null;
    this.timer_ = null;
    this.attempt_ = 0;
    this.lastId_ = null; // highest event id seen; null until the first hello
    this.connections_ = 0; // live connections so far, to tell a resume from the first connect
    this.status_ = 'stopped';
    this.hello_ = null;
  }

  status() {
    return this.status_;
  }

  lastId() {
    return this.lastId_;
  }

  // The user and server version from the last hello, or null.
  hello() {
    return this.hello_;
  }

  start() {
    if (this.status_ !== 'stopped') return;
    this.attempt_ = 0;
    this.connect_();
  }

  // Closes the socket and forgets the position: the next start() (another login) begins at the newest event.
  stop() {
    this.clearTimer_();
    const socket = this.socket_;
    this.socket_ = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, 'logout');
      } catch {
        // already closed
      }
    }
    this.lastId_ = null;
    this.connections_ = 0;
    this.hello_ = null;
    this.setStatus_('stopped');
  }

  // Reconnects now instead of waiting out the backoff (the tab became visible, the network came back).
  wake() {
    if (this.status_ !== 'offline') return;
    this.clearTimer_();
    this.connect_();
  }

  // fn(event) for every event (history JSON with id). Returns the unsubscribe function.
  subscribe(fn) {
    this.subscribers_.add(fn);
    return () => this.subscribers_.delete(fn);
  }

  // fn({status, resumed, gap}) on every status change. Returns the unsubscribe function.
  onStatus(fn) {
    this.statusHandlers_.add(fn);
    return () => this.statusHandlers_.delete(fn);
  }

  connect_() {
    this.timer_ = null;
    this.setStatus_('connecting');
    const url = this.lastId_ !== null ? `${this.url_()}?after=${this.lastId_}` : this.url_();
    let socket;
    try {
      socket = new this.WebSocket_(url);
    } catch (e) {
      console.warn('events: cannot open WebSocket:', e.message);
      this.scheduleReconnect_();
      return;
    }
    this.socket_ = socket;
    let greeted = false;
    socket.onmessage = (message) => {
      if (this.socket_ !== socket) return;
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        console.warn('events: ignored a message that is not JSON');
        return;
      }
      if (data && data.type === 'hello' && data.id === undefined) {
        greeted = true;
        this.onHello_(data);
      } else if (data && typeof data.type === 'string') {
        this.onEvent_(data);
      }
    };
    socket.onclose = () => {
      if (this.socket_ !== socket) return;
      this.socket_ = null;
      if (!greeted && this.onHandshakeFailed_) this.onHandshakeFailed_();
      this.scheduleReconnect_();
    };
    socket.onerror = () => {
      // onclose follows and does the work; browsers give no detail here.
    };
  }

  onHello_(hello) {
    this.hello_ = hello;
    this.attempt_ = 0;
    const serverLast = Number(hello.last_id) || 0;
    const resumed = this.connections_ > 0;
    const gap = resumed && this.lastId_ !== null && serverLast - this.lastId_ > kReplayLimit;
    if (this.lastId_ === null || gap || serverLast < this.lastId_) {
      // First connect: start at the newest event. A gap: pages reload. A smaller id: the server's history was reset.
      this.lastId_ = serverLast;
    }
    this.connections_ += 1;
    this.setStatus_('live', { resumed, gap });
  }

  onEvent_(event) {
    const id = Number(event.id) || 0;
    if (id > 0) {
      if (this.lastId_ !== null && id <= this.lastId_) return; // a replayed event we already delivered
      this.lastId_ = id;
    }
    for (const fn of [...this.subscribers_]) {
      try {
        fn(event);
      } catch (e) {
        console.error('events subscriber:', e);
      }
    }
  }

  scheduleReconnect_() {
    const base = kBackoffMs[Math.min(this.attempt_, kBackoffMs.length - 1)];
    this.attempt_ += 1;
    const delay = Math.round(base * (0.8 + 0.4 * this.random_()));
    this.setStatus_('offline');
    this.timer_ = this.setTimeout_(() => this.connect_(), delay);
  }

  clearTimer_() {
    if (this.timer_ !== null) this.clearTimeout_(this.timer_);
    this.timer_ = null;
  }

  setStatus_(status, extra = {}) {
    const changed = status !== this.status_;
    this.status_ = status;
    if (!changed && status !== 'live') return;
    const info = { status, resumed: false, gap: false, ...extra };
    for (const fn of [...this.statusHandlers_]) {
      try {
        fn(info);
      } catch (e) {
        console.error('events status handler:', e);
      }
    }
  }
}
