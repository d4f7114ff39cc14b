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
