// The signed-in header's links sit in <details class="site-menu" open> (layouts/base.html): open, they show as
// a row on every screen, and without JavaScript a phone shows them too. On a phone this closes the menu as soon
// as the header is parsed (a plain script, not a module, so no open menu is drawn first), leaving "Menu" to open.
(function () {
  var menu = document.querySelector('.site-menu');
  if (!menu || !window.matchMedia) return;
  var narrow = window.matchMedia('(max-width: 40em)');
  var fit = function () { menu.open = !narrow.matches; };
  fit();
  if (narrow.addEventListener) narrow.addEventListener('change', fit);
})();
