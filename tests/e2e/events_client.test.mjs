// Unit tests of web/js/events.js under node (no browser, no server): a fake WebSocket and fake timers check the
// reconnect backoff, the resume with ?after=<last id>, dropping replayed duplicates, gap detection and stop().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventClient } from '../../web/js/events.js';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.closed = false;
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  // server side
  hello(lastId) {
    this.onmessage?.({ data: JSON.stringify({ type: 'hello', user: { name: 'ann' }, version: 't', last_id: lastId }) });
  }
  event(id, type = 'ring', door = 'front') {
    this.onmessage?.({ data: JSON.stringify({ id, type, door, time: '2026-01-01T00:00:00Z', alarm: false }) });
  }
  drop() {
    this.onclose?.({ code: 1006 });
  }
}

function rig(options = {}) {
  FakeSocket.all = [];
  const timers = [];
  const client = new EventClient({
    WebSocket: FakeSocket,
    url: () => 'ws://portier.test/api/events',
    setTimeout: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimeout: (id) => {
      if (timers[id - 1]) timers[id - 1].fn = null;
    },
    random: () => 0.5, // no jitter
    ...options,
  });
  const events = [];
  const statuses = [];
  client.subscribe((e) => events.push(e.id));
  client.onStatus((s) => statuses.push(s));
  const fire = () => {
    const t = timers.shift();
    t.fn?.();
    return t.ms;
  };
  const socket = () => FakeSocket.all[FakeSocket.all.length - 1];
  return { client, events, statuses, timers, fire, socket };
}

test('first connect starts at the newest event and delivers live events', () => {
  const { client, events, socket } = rig();
  client.start();
  assert.equal(socket().url, 'ws://portier.test/api/events');
  assert.equal(client.status(), 'connecting');
  socket().hello(41);
  assert.equal(client.status(), 'live');
  assert.equal(client.lastId(), 41);
  socket().event(42);
  socket().event(43);
  assert.deepEqual(events, [42, 43]);
  assert.equal(client.lastId(), 43);
});

test('a dropped connection resumes after the last id, skipping duplicates, and reports the resume', () => {
  const { client, events, statuses, fire, socket } = rig();
  client.start();
  socket().hello(10);
  socket().event(11);
  socket().drop();
  assert.equal(client.status(), 'offline');
  assert.equal(fire(), 1000);
  assert.equal(socket().url, 'ws://portier.test/api/events?after=11');
  socket().hello(13);
  socket().event(11); // replayed twice by mistake: dropped
  socket().event(12);
  socket().event(13);
  assert.deepEqual(events, [11, 12, 13]);
  const resumed = statuses.filter((s) => s.status === 'live');
  assert.deepEqual(
    resumed.map((s) => s.resumed),
    [false, true],
  );
  assert.equal(resumed[1].gap, false);
});

test('the backoff grows to 30 s and resets after a hello', () => {
  const { client, fire, socket } = rig();
  client.start();
  const delays = [];
  for (let i = 0; i < 8; i += 1) {
    socket().drop();
    delays.push(fire());
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000]);
  socket().hello(0);
  socket().drop();
  assert.equal(fire(), 1000);
});

test('a gap larger than the server replays is reported so pages reload', () => {
  const { client, statuses, fire, socket } = rig();
  client.start();
  socket().hello(5);
  socket().drop();
  fire();
  socket().hello(5 + 501);
  const last = statuses[statuses.length - 1];
  assert.equal(last.status, 'live');
  assert.equal(last.gap, true);
  assert.equal(client.lastId(), 506);
});

test('a handshake that fails before hello asks the app to check the session', () => {
  let checks = 0;
  const { client, fire, socket } = rig({ onHandshakeFailed: () => (checks += 1) });
  client.start();
  socket().drop();
  assert.equal(checks, 1);
  fire();
  socket().hello(1);
  socket().drop();
  assert.equal(checks, 1, 'a drop after hello is not a handshake failure');
});

test('stop closes the socket, cancels the retry and forgets the position', () => {
  const { client, events, timers, socket } = rig();
  client.start();
  const first = socket();
  first.hello(7);
  client.stop();
  assert.equal(first.closed, true);
  assert.equal(client.status(), 'stopped');
  first.event(8); // late message of the closed socket
  assert.deepEqual(events, []);
  assert.equal(timers.length, 0);
  client.start();
  assert.equal(socket().url, 'ws://portier.test/api/events');
});

test('wake reconnects at once while waiting out the backoff', () => {
  const { client, timers, socket } = rig();
  client.start();
  socket().drop();
  assert.equal(FakeSocket.all.length, 1);
  client.wake();
  assert.equal(FakeSocket.all.length, 2);
  assert.equal(timers[0].fn, null, 'the pending retry is cancelled');
});

test('a throwing subscriber does not stop the others', () => {
  const { client, events, socket } = rig();
  const original = console.error;
  console.error = () => {};
  try {
    client.subscribe(() => {
      throw new Error('boom');
    });
    client.start();
    socket().hello(0);
    socket().event(1);
    assert.deepEqual(events, [1]);
  } finally {
    console.error = original;
  }
});
