// Unit tests of web/js/api.js under node (no browser, no server): the fetch wrapper's CSRF handling and how each
// failure shape becomes an ApiError.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, auth, hasCsrfToken, http, onUnauthorized, setCsrfToken, tokens, users } from '../../web/js/api.js';

let calls;
let replies;

function reply(status, body, headers = {}) {
  replies.push(
    () =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json', ...headers },
      }),
  );
}

beforeEach(() => {
  calls = [];
  replies = [];
  setCsrfToken(null);
  onUnauthorized(null);
  globalThis.fetch = async (path, init) => {
    calls.push({ path, init });
    const next = replies.shift();
    if (!next) throw new TypeError('fetch failed');
    return next();
  };
});

test('login keeps the csrf token and sends it on later writes, not on reads', async () => {
  reply(200, { success: true, csrf_token: 'c1', user: { name: 'ann', role: 'admin' } });
  const res = await auth.login('ann', 'pw');
  assert.equal(res.user.name, 'ann');
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(calls[0].init.body), { username: 'ann', password: 'pw' });
  assert.equal(hasCsrfToken(), true);

  reply(200, { success: true, tokens: [] });
  await tokens.list();
  assert.equal(calls[1].init.headers['X-CSRF-Token'], undefined);

  reply(201, { success: true, id: 7, token: 'secret' });
  await tokens.create('script');
  assert.equal(calls[2].init.headers['X-CSRF-Token'], 'c1');
  assert.equal(calls[2].init.headers['Content-Type'], 'application/json');
});

test("the WebRTC routes' string error becomes the ApiError's message", async () => {
  reply(409, { success: false, error: 'Busy' });
  await assert.rejects(http.post('/api/webrtc/call', { session_id: 's', target_extension: '1001' }), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'http_409');
    assert.equal(e.message, 'Busy');
    return true;
  });
});

test('the error shape becomes an ApiError with status, code and message', async () => {
  reply(409, { success: false, error: { code: 'conflict', message: 'user exists' } });
  await assert.rejects(users.create('bob', 'long enough pw', 'resident'), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'conflict');
    assert.equal(e.message, 'user exists');
    return true;
  });
});

test('a non-JSON error and a network failure still give readable errors', async () => {
  reply(502, '<html>bad gateway</html>');
  await assert.rejects(users.list(), (e) => e.status === 502 && e.code === 'http_502' && /502/.test(e.message));
  await assert.rejects(users.list(), (e) => e.status === 0 && e.code === 'network');
});

test('429 keeps Retry-After and login 401 does not end the session', async () => {
  let ended = 0;
  onUnauthorized(() => ended++);
  reply(429, { success: false, error: { code: 'rate_limited', message: 'locked' } }, { 'Retry-After': '30' });
  await assert.rejects(auth.login('ann', 'x'), (e) => e.status === 429 && e.retryAfter === 30);
  reply(401, { success: false, error: { code: 'unauthenticated', message: 'bad' } });
  await assert.rejects(auth.login('ann', 'x'), (e) => e.status === 401);
  assert.equal(ended, 0);
});

test('a 401 on an authenticated call reports the ended session', async () => {
  let ended = 0;
  onUnauthorized(() => ended++);
  reply(401, { success: false, error: { code: 'unauthenticated', message: 'session expired' } });
  await assert.rejects(tokens.list());
  assert.equal(ended, 1);
});

test('path segments are encoded and logout forgets the csrf token', async () => {
  setCsrfToken('c2');
  reply(200, { success: true });
  await users.remove('a/b c');
  assert.equal(calls[0].path, '/api/users/a%2Fb%20c');
  assert.equal(calls[0].init.method, 'DELETE');
  reply(200, { success: true });
  await auth.logout();
  assert.equal(calls[1].init.headers['X-CSRF-Token'], 'c2');
  assert.equal(hasCsrfToken(), false);
});

test('success:false in a 200 reply is still an error', async () => {
  reply(200, { success: false, error: { code: 'odd', message: 'odd reply' } });
  await assert.rejects(tokens.list(), (e) => e.code === 'odd');
});
