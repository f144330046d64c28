// The site header on a phone: links and tools fold behind one Menu button (a disclosure, WAI-ARIA
// "disclosure navigation"). On a wide screen the button is not shown and everything stays in view.
// Without this script the button stays hidden and the header shows every link, as it always did.
(function () {
  'use strict';
  const header = document.querySelector('.site-header');
  const toggle = header && header.querySelector('.menu-toggle');
  const menu = document.getElementById('site-menu');
  if (!toggle || !menu) return;

  function show(isOpen) {
    toggle.setAttribute('aria-expanded', String(isOpen));
    header.classList.toggle('menu-open', isOpen);
  }

  header.classList.add('has-menu');
  toggle.hidden = false;
  show(false);

  toggle.addEventListener('click', function () {
    const isOpen = toggle.getAttribute('aria-expanded') !== 'true';
    show(isOpen);
    if (isOpen) {
      const first = menu.querySelector('a, button, select');
      if (first) first.focus();
    }
  });
  // Escape folds an open menu and returns to its button.
  header.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || toggle.getAttribute('aria-expanded') !== 'true') return;
    show(false);
    toggle.focus();
  });
})();
