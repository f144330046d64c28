/*
 * Renders one lesson, a screen at a time: dialogue, key points, or a decision with feedback.
 * It knows nothing about SCORM; the host passes hooks that persist progress and decide what
 * happens before the first and after the last screen.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});
  const { el, clear, focusHeading } = Ruihe.dom;

  let uniqueCounter = 0;
  function uniqueId(stem) {
    uniqueCounter += 1;
    return stem + '-' + uniqueCounter;
  }

  function renderDialogue(screen, i18n) {
    return [
      el('p', { class: 'scene' }, [el('strong', { text: i18n.ui.scene + ' · ' }), i18n.pick(screen.scene)]),
      el('ol', { class: 'dialogue' }, screen.lines.map((line) =>
        el('li', { class: 'line line--' + line.speaker.role }, [
          el('p', { class: 'speaker', text: i18n.pick(line.speaker.name) }),
          el('p', { class: 'utterance', text: i18n.pick(line.text) }),
        ]))),
    ];
  }

  function renderPoints(screen, i18n) {
    return [
      screen.intro ? el('p', { class: 'intro', text: i18n.pick(screen.intro) }) : null,
      el('ul', { class: 'points' }, screen.points.map((point) => el('li', { text: i18n.pick(point) }))),
    ];
  }

  function renderDecision(screen, i18n, saved, onChecked) {
    const name = uniqueId('decision');
    const feedback = el('div', { class: 'feedback', role: 'status', 'aria-live': 'polite' });

    function showFeedback(optionIndex) {
      const option = screen.options[optionIndex];
      clear(feedback);
      feedback.className = 'feedback ' + (option.isBest ? 'feedback--good' : 'feedback--weak');
      feedback.appendChild(el('p', { class: 'feedback-verdict', text: option.isBest ? i18n.ui.bestChoice : i18n.ui.notBestChoice }));
      feedback.appendChild(el('p', { text: i18n.pick(option.feedback) }));
    }

    const options = screen.options.map((option, index) => {
      const id = uniqueId('opt');
      return el('div', { class: 'choice' }, [
        el('input', { type: 'radio', id, name, value: String(index), checked: saved === index }),
        el('label', { for: id, text: i18n.pick(option.text) }),
      ]);
    });

    const form = el('form', { class: 'decision', novalidate: true }, [
      el('fieldset', {}, [el('legend', { text: i18n.pick(screen.prompt) })].concat(options)),
      el('button', { type: 'submit', class: 'button button--secondary', text: i18n.ui.checkAnswer }),
      feedback,
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[type="radio"]:checked');
      if (!chosen) {
        clear(feedback);
        feedback.className = 'feedback feedback--weak';
        feedback.appendChild(el('p', { text: i18n.ui.chooseFirst }));
        const first = form.querySelector('input[type="radio"]');
        if (first) first.focus();
        return;
      }
      const index = Number(chosen.value);
      showFeedback(index);
      onChecked(index);
    });
    if (typeof saved === 'number' && screen.options[saved]) showFeedback(saved);
    return [form];
  }

  /**
   * options: { container, lesson, progress (mutable lesson progress), startScreen, i18n, hooks }
   * hooks: onChange(progress), onComplete(), previousOutside (fn or null: what "Previous" on the
   * first screen does), endActions() → [{ label, onClick, isPrimary }]
   */
  function runLesson(options) {
    const { container, lesson, progress, i18n, hooks } = options;
    const total = lesson.screens.length;
    const hint = el('p', { class: 'nav-hint', role: 'status', 'aria-live': 'polite' });

    function show(index, moveFocus) {
      const screenIndex = Math.max(0, Math.min(total - 1, index));
      const screen = lesson.screens[screenIndex];
      progress.screen = screenIndex;
      progress.furthest = Math.max(progress.furthest || 0, screenIndex);
      const isLast = screenIndex === total - 1;
      if (isLast) progress.done = true;

      clear(container);
      clear(hint);
      let body;
      if (screen.kind === 'dialogue') body = renderDialogue(screen, i18n);
      else if (screen.kind === 'points') body = renderPoints(screen, i18n);
      else {
        body = renderDecision(screen, i18n, progress.decisions[screenIndex], (choice) => {
          progress.decisions[screenIndex] = choice;
          clear(hint);
          hooks.onChange(progress, false);
        });
      }

      const previous = el('button', {
        type: 'button',
        class: 'button button--secondary',
        text: i18n.ui.previous,
        disabled: screenIndex === 0 && !hooks.previousOutside,
        onclick: () => (screenIndex === 0 ? hooks.previousOutside() : show(screenIndex - 1, true)),
      });
      const next = isLast ? null : el('button', {
        type: 'button',
        class: 'button button--primary',
        text: i18n.ui.next,
        onclick: () => {
          if (screen.kind === 'decision' && typeof progress.decisions[screenIndex] !== 'number') {
            hint.textContent = i18n.ui.answerDecisionFirst;
            const firstChoice = container.querySelector('input[type="radio"]');
            if (firstChoice) firstChoice.focus();
            return;
          }
          show(screenIndex + 1, true);
        },
      });

      const endBox = isLast ? el('div', { class: 'lesson-end' }, [
        el('p', { class: 'lesson-end-message', text: i18n.ui.lessonDone }),
      ].concat(hooks.endActions().map((action) => el('button', {
        type: 'button',
        class: 'button ' + (action.isPrimary === false ? 'button--secondary' : 'button--primary'),
        text: action.label,
        onclick: action.onClick,
      })))) : null;

      container.appendChild(el('section', { class: 'screen screen--' + screen.kind, 'aria-labelledby': 'screen-heading' }, [
        el('p', { class: 'screen-count', text: i18n.ui.screenOf(screenIndex + 1, total) }),
        el('h2', { id: 'screen-heading', tabindex: '-1', 'data-focus-target': true, text: i18n.pick(screen.heading) }),
      ].concat(body, [endBox])));
      container.appendChild(el('nav', { class: 'screen-nav', 'aria-label': i18n.ui.pageNavigation }, [previous, next]));
      container.appendChild(hint);

      hooks.onChange(progress, true);
      if (isLast) hooks.onComplete();
      if (moveFocus) focusHeading(container);
    }

    const start = typeof options.startScreen === 'number' ? options.startScreen : progress.screen || 0;
    show(start, Boolean(options.focusOnStart));
    return { showScreen: (index) => show(index, true) };
  }

  Ruihe.runLesson = runLesson;
})(window);
