// Development stand-in for `portier serve`: serves web/ and answers the foundation API (docs/api.md) from memory,
// so the UI can be looked at without the C++ server. Not used by ctest; the E2E tests run the real binary.
//   node tests/e2e/dev/mock-server.mjs [port]     (127.0.0.1 only)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../web');
const port = Number(process.argv[2] ?? 8099);
const kTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

const users = new Map(); // name → {name, role, password, created_at}
const sessions = new Map(); // cookie → {user, csrf}
const tokens = new Map(); // id → {id, label, user, created_at, last_used_at}
let failures = 0;

const now = () => new Date().toISOString();
const id = () => randomBytes(16).toString('hex');

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
const fail = (res, status, code, message) => send(res, status, { success: false, error: { code, message } });

function sessionOf(req) {
  const m = /(?:^|;\s*)portier_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? (sessions.get(m[1]) ?? null) : null;
}

function login(res, user) {
  const cookie = id();
  const csrf = id();
  sessions.set(cookie, { user: user.name, csrf });
  send(
    res,
    200,
    { success: true, csrf_token: csrf, user: { name: user.name, role: user.role } },
    {
      'Set-Cookie': `portier_session=${cookie}; Path=/; HttpOnly; SameSite=Strict`,
    },
  );
}

async function api(req, res, path) {
  let body = {};
  if (req.method !== 'GET') {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return fail(res, 400, 'bad_json', 'The request body is not valid JSON.');
    }
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const tokenRow = bearer ? [...tokens.values()].find((t) => t.secret === bearer[1]) : null;
  if (tokenRow) tokenRow.last_used_at = now();
  const s = tokenRow ? { user: tokenRow.user, bearer: true } : sessionOf(req);
  const user = s ? users.get(s.user) : null;

  if (path === '/api/auth/state' && req.method === 'GET') {
    return send(res, 200, {
      success: true,
      onboarding_required: users.size === 0,
      authenticated: Boolean(user),
      user: user ? { name: user.name, role: user.role } : null,
      csrf_token: user ? s.csrf : null,
    });
  }
  if (path === '/api/auth/onboard' && req.method === 'POST') {
    if (users.size > 0) return fail(res, 409, 'already_onboarded', 'An administrator already exists.');
    if (!body.username || String(body.password ?? '').length < 10)
      return fail(res, 400, 'weak_password', 'The password must have at least 10 characters.');
    const u = { name: body.username, role: 'admin', password: body.password, created_at: now() };
    users.set(u.name, u);
    return login(res, u);
  }
  if (path === '/api/auth/login' && req.method === 'POST') {
    if (failures >= 5) return fail(res, 429, 'rate_limited', 'Too many attempts, try again later.');
    const u = users.get(body.username);
    if (!u || u.password !== body.password) {
      failures += 1;
      return fail(res, 401, 'bad_credentials', 'Invalid username or password.');
    }
    failures = 0;
    return login(res, u);
  }
  if (!user) return fail(res, 401, 'unauthenticated', 'Log in first.');
  if (req.method !== 'GET' && !s.bearer && req.headers['x-csrf-token'] !== s.csrf)
    return fail(res, 403, 'csrf', 'Missing or wrong CSRF token.');

  if (path === '/api/auth/logout' && req.method === 'POST') {
    for (const [k, v] of sessions) if (v === s) sessions.delete(k);
    return send(res, 200, { success: true }, { 'Set-Cookie': 'portier_session=; Path=/; Max-Age=0' });
  }
  if (path === '/api/auth/password' && req.method === 'POST') {
    if (body.current_password !== user.password) return fail(res, 403, 'forbidden', 'current password is wrong');
    if (String(body.new_password ?? '').length < 10) return fail(res, 400, 'weak_password', 'Too short.');
    user.password = body.new_password;
    return send(res, 200, { success: true });
  }
  if (path === '/api/tokens' && req.method === 'GET') {
    const list = [...tokens.values()].filter((t) => t.user === user.name).map(({ user: _u, secret: _s, ...t }) => t);
    return send(res, 200, { success: true, tokens: list });
  }
  if (path === '/api/tokens' && req.method === 'POST') {
    const t = {
      id: id().slice(0, 8),
      label: String(body.label ?? ''),
      user: user.name,
      created_at: now(),
      last_used_at: null,
      secret: `ptk_${id()}${id()}`,
    };
    tokens.set(t.id, t);
    return send(res, 200, { success: true, id: t.id, token: t.secret });
  }
  let m = /^\/api\/tokens\/([^/]+)$/.exec(path);
  if (m && req.method === 'DELETE') {
    const t = tokens.get(decodeURIComponent(m[1]));
    if (!t || t.user !== user.name) return fail(res, 404, 'not_found', 'No such token.');
    tokens.delete(t.id);
    return send(res, 200, { success: true });
  }
  if (path.startsWith('/api/users') && user.role !== 'admin')
    return fail(res, 403, 'forbidden', 'Administrators only.');
  if (path === '/api/users' && req.method === 'GET') {
    return send(res, 200, {
      success: true,
      users: [...users.values()].map(({ name, role, created_at }) => ({ name, role, created_at })),
    });
  }
  if (path === '/api/users' && req.method === 'POST') {
    if (users.has(body.username)) return fail(res, 409, 'user_exists', `A user named ${body.username} already exists.`);
    if (!['admin', 'resident'].includes(body.role))
      return fail(res, 400, 'bad_role', 'Role must be admin or resident.');
    users.set(body.username, { name: body.username, role: body.role, password: body.password, created_at: now() });
    return send(res, 200, { success: true });
  }
  m = /^\/api\/users\/([^/]+)$/.exec(path);
  if (m && req.method === 'DELETE') {
    if (!users.delete(decodeURIComponent(m[1]))) return fail(res, 404, 'not_found', 'No such user.');
    return send(res, 200, { success: true });
  }
  return fail(res, 404, 'not_found', 'No such route.');
}

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/health') return send(res, 200, { success: true, status: 'ok' });
  if (path.startsWith('/api/')) return api(req, res, path);
  const file = normalize(join(webRoot, path === '/' ? 'index.html' : path));
  if (!file.startsWith(webRoot)) return fail(res, 404, 'not_found', 'Not found.');
  try {
    const data = await readFile(file);
    res.writeHead(200, {
      'Content-Type': kTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(data);
  } catch {
    fail(res, 404, 'not_found', 'Not found.');
  }
}).listen(port, '127.0.0.1', () => console.log(`mock portier on http://127.0.0.1:${port}`));
