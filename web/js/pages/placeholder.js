// Stand-in for pages that later issues deliver (doors, events, phone, guests).
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { pageHeader } from '../ui.js';

export function render(root, ctx) {
  root.append(
    pageHeader(ctx.route.title, ctx.route.card),
    h(
      'div',
      { class: 'card placeholder' },
      icon(ctx.route.icon ?? 'alert', 'icon icon-xl'),
      h('h2', {}, 'Coming soon'),
      h('p', { class: 'muted' }, `The ${ctx.route.title.toLowerCase()} page is not part of this version yet.`),
      h('a', { class: 'btn btn-secondary', href: '#/' }, 'Back to home'),
    ),
  );
}
