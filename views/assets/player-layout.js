// The player's contents panel: beside the course on a wide screen, folded away on a phone until
// asked for. Only layout: sequencing and navigation stay in player.js.
(function () {
  'use strict';
  const toggle = document.querySelector('[data-toc-toggle]');
  const toc = document.getElementById('toc');
  if (!toggle || !toc) return;
  const wide = window.matchMedia('(min-width: 48em)');
  const KEY = 'lms.player.toc';

  function show(isOpen) {
    toc.hidden = !isOpen;
    toggle.setAttribute('aria-expanded', String(isOpen));
  }

  // A wide screen remembers the learner's choice for the session; a phone always starts folded.
  let saved = null;
  try { saved = window.sessionStorage.getItem(KEY); } catch { /* storage off */ }
  show(wide.matches && saved !== 'closed');

  toggle.addEventListener('click', function () {
    const isOpen = toc.hidden;
    show(isOpen);
    if (wide.matches) {
      try { window.sessionStorage.setItem(KEY, isOpen ? 'open' : 'closed'); } catch { /* storage off */ }
    } else if (isOpen) {
      const current = toc.querySelector('[aria-current="page"]') || toc.querySelector('a');
      if (current) current.focus();
    }
  });
  // On a phone the panel covers part of the course: Escape folds it and returns to the button.
  toc.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || wide.matches) return;
    show(false);
    toggle.focus();
  });
})();
