// The route table: one entry per page. Later issues add their page here (and its module under pages/); the router,
// the navigation and the home dashboard are all generated from this list.
//   access: 'onboarding' (only while no user exists), 'guest' (logged out), 'user', 'admin'
//   nav:    shown in the main navigation; card: shown on the home dashboard; soon: placeholder until implemented
//   feature: shown in the navigation only when the server offers it (/api/auth/state's features: 'sim' = demo
//            mode, 'sip' = the SIP server runs, 'passes' = guest passes are on, 'devices' = MQTT devices are configured)

export const routes = [
  { path: '/onboarding', title: 'Welcome', access: 'onboarding', page: () => import('./pages/onboarding.js') },
  { path: '/login', title: 'Log in', access: 'guest', page: () => import('./pages/login.js') },
  { path: '/', title: 'Home', access: 'user', icon: 'home', nav: true, page: () => import('./pages/home.js') },
  {
    path: '/doors',
    title: 'Doors',
    access: 'user',
    icon: 'door',
    nav: true,
    card: 'Unlock the doors you may open and see their state live.',
    page: () => import('./pages/doors.js'),
  },
  {
    path: '/events',
    title: 'Events',
    access: 'user',
    icon: 'events',
    nav: true,
    card: 'Rings, unlocks and alarms, with filters.',
    page: () => import('./pages/events.js'),
  },
  {
    path: '/phone',
    title: 'Phone',
    access: 'user',
    icon: 'phone',
    nav: true,
    card: 'Answer the door and call extensions from this browser.',
    page: () => import('./pages/phone.js'),
  },
  {
    path: '/guests',
    title: 'Guests',
    access: 'user',
    icon: 'guest',
    nav: true,
    card: 'Links that open your doors for a while: guests, cleaners, deliveries.',
    feature: 'passes',
    page: () => import('./pages/guests.js'),
  },
  {
    path: '/account',
    title: 'Account',
    access: 'user',
    icon: 'account',
    nav: true,
    card: 'Change your password and manage API tokens.',
    page: () => import('./pages/account.js'),
  },
  {
    path: '/users',
    title: 'Users',
    access: 'admin',
    icon: 'users',
    nav: true,
    card: 'Add and remove residents and administrators.',
    page: () => import('./pages/users.js'),
  },
  {
    path: '/door-access',
    title: 'Door access',
    access: 'admin',
    icon: 'key',
    nav: true,
    card: 'Choose who may open which door; call button counters.',
    page: () => import('./pages/door_access.js'),
  },
  {
    path: '/phones',
    title: 'Phones',
    access: 'user',
    icon: 'phone',
    nav: true,
    feature: 'sip',
    card: 'SIP phones and door stations registered with Portier.',
    page: () => import('./pages/phones.js'),
  },
  {
    path: '/devices',
    title: 'Devices',
    access: 'admin',
    icon: 'chip',
    nav: true,
    feature: 'devices',
    card: 'WiFi locks on MQTT: online state, credentials.',
    page: () => import('./pages/devices.js'),
  },
  {
    path: '/calls',
    title: 'Calls',
    access: 'user',
    icon: 'phone',
    nav: true,
    feature: 'sip',
    card: 'Door calls in progress and visitor messages.',
    page: () => import('./pages/calls.js'),
  },
  {
    path: '/simulator',
    title: 'Door simulator',
    access: 'admin',
    icon: 'chip',
    nav: true,
    feature: 'sim',
    page: () => import('./pages/simulator.js'),
  },
];

export function findRoute(path) {
  return routes.find((r) => r.path === path) ?? null;
}
