// Fetch wrapper for Portier's JSON API (docs/api.md). Same-origin session cookie (HttpOnly, set by the server);
// the CSRF token lives only in this module's memory and is sent on every non-GET request. Every failure, whether
// the server's {"success":false,"error":{code,message}} shape, a non-JSON reply or a network error, becomes one
// ApiError so pages need a single catch path.

let csrfToken = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // HTTP status, 0 when the server could not be reached
    this.code = code;
  }
}

export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

export function hasCsrfToken() {
  return csrfToken !== null;
}

// Called with the ApiError when an authenticated request answers 401 (session expired or revoked).
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

const kFallbackMessages = {
  400: 'The request was not accepted.',
  401: 'You are not logged in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with existing data.',
  413: 'The request is too large.',
  429: 'Too many attempts, try again later',
  500: 'The server had an internal error.',
  503: 'The server is busy; try again shortly.',
};

function fallbackMessage(status) {
  return kFallbackMessages[status] ?? `The server answered with HTTP ${status}.`;
}

// options.session = false for the login/onboarding calls, whose 401 means "bad credentials", not "session gone".
export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal: options.signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the Portier server. Check the connection and try again.');
  }

  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (response.ok && (data === null || data.success !== false)) {
    if (data && typeof data.csrf_token === 'string') setCsrfToken(data.csrf_token);
    return data ?? { success: true };
  }

  // The browser-phone routes use the WebRTC guide's shape {"success":false,"error":"<message>"}.
  const error =
    data && typeof data.error === 'object' && data.error !== null
      ? data.error
      : { message: typeof data?.error === 'string' ? data.error : undefined };
  const failure = new ApiError(
    response.status,
    typeof error.code === 'string' ? error.code : `http_${response.status}`,
    typeof error.message === 'string' && error.message !== '' ? error.message : fallbackMessage(response.status),
  );
  failure.retryAfter = Number(response.headers.get('Retry-After')) || null;
  if (response.status === 401 && options.session !== false && unauthorizedHandler) unauthorizedHandler(failure);
  throw failure;
}

const get = (path, options) => request('GET', path, undefined, options);
const post = (path, body, options) => request('POST', path, body ?? {}, options);
const put = (path, body, options) => request('PUT', path, body ?? {}, options);
const del = (path, options) => request('DELETE', path, undefined, options);
const seg = (value) => encodeURIComponent(String(value));

export const auth = {
  state: () => get('/api/auth/state', { session: false }),
  onboard: (username, password) => post('/api/auth/onboard', { username, password }, { session: false }),
  login: (username, password) => post('/api/auth/login', { username, password }, { session: false }),
  async logout() {
    try {
      return await post('/api/auth/logout', {}, { session: false });
    } finally {
      setCsrfToken(null);
    }
  },
  changePassword: (currentPassword, newPassword) =>
    post('/api/auth/password', { current_password: currentPassword, new_password: newPassword }),
};

export const users = {
  list: async () => (await get('/api/users')).users ?? [],
  create: (username, password, role) => post('/api/users', { username, password, role }),
  remove: (name) => del(`/api/users/${seg(name)}`),
};

export const tokens = {
  list: async () => (await get('/api/tokens')).tokens ?? [],
  create: (label) => post('/api/tokens', { label }),
  revoke: (id) => del(`/api/tokens/${seg(id)}`),
};

// Builds "?a=1&b=x" from the defined, non-empty values of params ('' when none).
function queryString(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    q.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const doors = {
  list: async () => (await get('/api/doors')).doors ?? [],
  unlock: (id) => post(`/api/doors/${seg(id)}/unlock`),
  lock: (id) => post(`/api/doors/${seg(id)}/lock`),
  ring: (id) => post(`/api/doors/${seg(id)}/ring`),
  buttons: async () => (await get('/api/buttons')).buttons ?? [],
  permissions: async () => (await get('/api/permissions')).permissions ?? [],
  setUserDoors: (name, ids) => put(`/api/users/${seg(name)}/doors`, { doors: ids }),
};

// history({limit, before, after, door, type: ['ring', ...]}) → newest first (oldest first with `after`).
export const events = {
  history: async (params) => (await get(`/api/events/history${queryString(params)}`)).events ?? [],
  audit: async (params) => (await get(`/api/audit${queryString(params)}`)).audit ?? [],
};

// The simulated door hardware; only in demo mode (404 otherwise) and for administrators.
export const sim = {
  lines: async () => (await get('/api/sim/lines')).lines ?? [],
  drive: (name, value) => post(`/api/sim/lines/${seg(name)}`, { value: value ? 1 : 0 }),
};

// Raw verbs for pages added by later issues (phone, guests).
export const http = { get, post, put, del, request };
