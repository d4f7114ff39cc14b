// The language menu is a plain <details>: it opens and closes without JavaScript. Escape closes it as well,
// as it closes other menus, and gives the focus back to its summary, so keyboard users carry on from there.
const menu = document.querySelector('[data-module="language-menu"]');
const summary = menu && menu.querySelector(':scope > summary');

if (menu && summary && 'open' in menu) {
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    event.preventDefault();
    menu.open = false;
    summary.focus();
  });
}

// Pages in a Latin script do not preload the menu's font for Khmer, Tai Viet and Cham names (3 KB, see
// layouts/base.html): it is fetched as the menu is about to open, so the names are there when it does.
if (menu && summary && document.fonts && !document.querySelector('link[rel=preload][href*="language-names"]')) {
  const fetchNames = () => document.fonts.load('1em "Portal Language Names"', '\u1781\uaa0c\uaa92').catch(() => {});
  for (const type of ['pointerenter', 'pointerdown', 'focusin', 'toggle']) {
    (type === 'toggle' ? menu : summary).addEventListener(type, fetchNames, { once: true, passive: true });
  }
}
