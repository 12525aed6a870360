// What the door pages share: labels of event types, the event groups of the filters, door state derived the way the
// server derives it (src/access/door_snapshot.cpp), how an event changes a door, and friendly texts for API errors.

export const kEventLabels = {
  ring: 'Ring',
  unlock_requested: 'Unlock requested',
  unlocked: 'Unlocked',
  relocked: 'Relocked',
  unlock_denied: 'Unlock denied',
  unlock_failed: 'Unlock failed',
  relock_failed: 'Relock failed',
  door_opened: 'Door opened',
  door_closed: 'Door closed',
  door_left_open: 'Door left open',
  forced_open: 'Forced open',
  device_online: 'Device online',
  device_offline: 'Device offline',
  call_ringing: 'Door call ringing',
  call_answered: 'Door call answered',
  call_dtmf: 'Keys pressed in a call',
  call_ended: 'Door call ended',
  visitor_message: 'Visitor message',
};

// The type filter of the events page: [value, label, types].
export const kEventGroups = [
  ['', 'All events', []],
  ['ring', 'Rings', ['ring']],
  ['unlocks', 'Unlocks', ['unlock_requested', 'unlocked', 'relocked']],
  ['problems', 'Denied and failed', ['unlock_denied', 'unlock_failed', 'relock_failed']],
  ['contact', 'Door opened or closed', ['door_opened', 'door_closed']],
  ['alarms', 'Alarms', ['door_left_open', 'forced_open', 'relock_failed']],
  ['devices', 'Devices online or offline', ['device_online', 'device_offline']],
  ['calls', 'Calls', ['call_ringing', 'call_answered', 'call_dtmf', 'call_ended', 'visitor_message']],
];

// 'alarm' | 'problem' | 'ring' | 'unlock' | 'info': the colour of an event in lists.
export function eventKind(event) {
  if (event.alarm) return 'alarm';
  switch (event.type) {
    case 'unlock_denied':
    case 'unlock_failed':
    case 'relock_failed':
    case 'device_offline':
      return 'problem';
    case 'ring':
      return 'ring';
    case 'unlocked':
    case 'unlock_requested':
      return 'unlock';
    default:
      return 'info';
  }
}

export function eventLabel(type) {
  return kEventLabels[type] ?? type.replace(/_/g, ' ');
}

// "by rita via web" / "via api" / '' for hardware events.
export function eventActor(event) {
  const parts = [];
  if (event.actor) parts.push(`by ${event.actor}`);
  if (event.method) parts.push(`via ${event.method}`);
  return parts.join(' ');
}

export function doorState(door) {
  if (door.fault) return 'fault';
  if (door.contact === 'open') return 'open';
  return door.unlocked ? 'unlocked' : 'locked';
}

// Returns a copy of `door` as it is after `event` (the server's next snapshot agrees; pages refetch to be sure).
export function applyEvent(door, event) {
  const d = { ...door };
  switch (event.type) {
    case 'unlocked':
      d.unlocked = true;
      d.fault = false;
      d.fault_message = undefined;
      d.relock_at = event.relock_at;
      break;
    case 'relocked':
      d.unlocked = false;
      d.relock_at = undefined;
      break;
    case 'unlock_failed':
    case 'relock_failed':
      d.fault = true;
      d.fault_message = event.detail || eventLabel(event.type);
      break;
    case 'door_opened':
      d.contact = 'open';
      break;
    case 'door_closed':
      d.contact = 'closed';
      d.left_open = false;
      d.forced_open = false;
      break;
    case 'door_left_open':
      d.left_open = true;
      break;
    case 'forced_open':
      d.forced_open = true;
      break;
    default:
      return door;
  }
  d.state = doorState(d);
  return d;
}

// What a resident should read when an unlock or lock fails (err is an api.js ApiError).
export function doorErrorText(err) {
  switch (err.status) {
    case 0:
      return 'Cannot reach Portier. Check the connection and try again.';
    case 401:
      return 'Your session has ended. Please log in again.';
    case 403:
      return 'You are not allowed to open this door. Ask an administrator for access.';
    case 404:
      return 'This door does not exist any more. Reload the page.';
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    case 500:
      return `The door did not respond: ${err.message}`;
    case 503:
      return `The door controller is not available right now; try again shortly. (${err.message})`;
    case 504:
      return 'The door did not answer in time. It may not have opened.';
    default:
      return err.message || `The server answered with HTTP ${err.status}.`;
  }
}

// Door names by id, loaded once from GET /api/doors (the doors this user may see) and refreshed on a miss.
export class DoorDirectory {
  constructor(api) {
    this.api_ = api;
    this.doors_ = null;
    this.loading_ = null;
  }

  async load(force = false) {
    if (this.doors_ && !force) return this.doors_;
    if (!this.loading_) {
      this.loading_ = this.api_.doors
        .list()
        .then((list) => {
          this.doors_ = new Map(list.map((d) => [d.id, d]));
          return this.doors_;
        })
        .finally(() => {
          this.loading_ = null;
        });
    }
    return this.loading_;
  }

  // The cached door or null; never fetches.
  get(id) {
    return this.doors_?.get(id) ?? null;
  }

  // Ids of the cached doors in the server's order.
  ids() {
    return this.doors_ ? [...this.doors_.keys()] : [];
  }

  name(id) {
    return this.get(id)?.name || id;
  }

  clear() {
    this.doors_ = null;
  }
}
