// The dashboard: who is logged in and one card per section of the app (generated from the route table).
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { routes } from '../routes.js';

function greeting() {
  const hour = new Date().getHours();
  if (hour < 5) return 'Good night';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function render(root, ctx) {
  const { user } = ctx;
  const sections = routes.filter((r) => r.card && (r.access !== 'admin' || user.role === 'admin'));
  root.append(
    h(
      'header',
      { class: 'page-header' },
      h('h1', { tabindex: '-1' }, `${greeting()}, `, h('span', { 'data-testid': 'home-user' }, user.name)),
      h(
        'p',
        { class: 'subtitle' },
        'Signed in as ',
        h('strong', {}, user.name),
        ' · ',
        h('span', { class: `role role-${user.role}` }, user.role),
      ),
    ),
    h(
      'ul',
      { class: 'tiles', 'aria-label': 'Sections' },
      sections.map((r) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: ['tile', r.soon && 'tile-soon'], href: `#${r.path}` },
            h('span', { class: 'tile-icon' }, icon(r.icon)),
            h(
              'span',
              { class: 'tile-text' },
              h('span', { class: 'tile-title' }, r.title, r.soon ? h('span', { class: 'badge' }, 'Coming soon') : null),
              h('span', { class: 'tile-desc' }, r.card),
            ),
          ),
        ),
      ),
    ),
  );
}
