/*
 * The exam: an introduction, one question per screen, a review before submitting, and the
 * result with explanations and a retry after a fail. Progress lives in `state.exam` (saved to
 * suspend_data by the host), so a resumed session shows the same drawn questions and answers.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});
  const { el, clear, focusHeading } = Ruihe.dom;
  const { drawQuestions, correctResponse, scoreAttempt } = Ruihe.examScoring;

  /**
   * options: { container, exam: { questions, questionsPerAttempt, passPercent }, state, i18n,
   *            isLocked, hooks }
   * hooks: onSave(location, shouldCommit), onSubmitted(result, records), onFinish() or null,
   *        backToLessons() or null
   */
  function runExam(options) {
    const { container, exam, state, i18n, hooks } = options;
    const questionsById = {};
    for (const question of exam.questions) questionsById[question.id] = question;
    const allIds = exam.questions.map((question) => question.id);
    let clock = null; // { id, since } while a question is on screen

    function stopClock() {
      if (!clock || !state.exam) return;
      const spent = state.exam.spentMs;
      spent[clock.id] = (spent[clock.id] || 0) + (Date.now() - clock.since);
      clock = null;
    }

    function newAttempt() {
      const previous = state.exam;
      state.exam = {
        attempt: previous ? previous.attempt + 1 : 1,
        drawn: drawQuestions(allIds, exam.questionsPerAttempt),
        answers: {},
        spentMs: {},
        firstShownAt: {},
        current: 0,
        result: null,
        hasPassed: Boolean(previous && previous.hasPassed),
      };
    }

    function screen(headingText, children, moveFocus) {
      stopClock();
      clear(container);
      container.appendChild(el('section', { class: 'screen screen--exam', 'aria-labelledby': 'screen-heading' }, [
        el('h2', { id: 'screen-heading', tabindex: '-1', 'data-focus-target': true, text: headingText }),
      ].concat(children)));
      if (moveFocus) focusHeading(container);
    }

    function button(label, onClick, isPrimary) {
      return el('button', { type: 'button', class: 'button ' + (isPrimary ? 'button--primary' : 'button--secondary'), text: label, onclick: onClick });
    }

    function showIntro(moveFocus) {
      const ui = i18n.ui;
      const inProgress = state.exam && state.exam.drawn.length && !state.exam.result;
      const actions = [];
      if (options.isLocked) {
        if (hooks.backToLessons) actions.push(button(ui.backToLessons, hooks.backToLessons, true));
      } else {
        actions.push(button(inProgress ? ui.resumeExam : ui.startExam, () => {
          if (!state.exam || state.exam.result) newAttempt();
          showQuestion(typeof state.exam.current === 'number' ? state.exam.current : 0, true);
        }, true));
        if (hooks.backToLessons) actions.push(button(ui.backToLessons, hooks.backToLessons, false));
      }
      screen(ui.examAbout, [
        el('p', { text: ui.examIntro(exam.questionsPerAttempt, exam.questions.length, exam.passPercent) }),
        options.isLocked ? el('p', { class: 'notice', text: ui.examLocked }) : null,
        el('div', { class: 'actions' }, actions),
      ], moveFocus);
      hooks.onSave('exam', true);
    }

    function renderChoices(question, name, selected, onChange) {
      const isMultiple = question.type === 'multiple';
      const choices = question.type === 'true-false'
        ? [{ id: 'true', text: i18n.ui.trueLabel }, { id: 'false', text: i18n.ui.falseLabel }]
        : question.options.map((option) => ({ id: option.id, text: i18n.pick(option.text) }));
      return choices.map((choice) => {
        const inputId = name + '-' + choice.id;
        return el('div', { class: 'choice' }, [
          el('input', {
            type: isMultiple ? 'checkbox' : 'radio',
            id: inputId,
            name,
            value: choice.id,
            checked: selected.indexOf(choice.id) !== -1,
            onchange: onChange,
          }),
          el('label', { for: inputId, text: choice.text }),
        ]);
      });
    }

    function questionHint(question) {
      if (question.type === 'multiple') return i18n.ui.selectAll;
      if (question.type === 'true-false') return i18n.ui.trueFalseHint;
      return i18n.ui.selectOne;
    }

    function showQuestion(index, moveFocus) {
      const attempt = state.exam;
      const total = attempt.drawn.length;
      const position = Math.max(0, Math.min(total - 1, index));
      const question = questionsById[attempt.drawn[position]];
      attempt.current = position;
      if (!attempt.firstShownAt[question.id]) attempt.firstShownAt[question.id] = Date.now();

      const name = 'q-' + attempt.attempt + '-' + question.id;
      const form = el('form', { class: 'question', novalidate: true, onsubmit: (event) => event.preventDefault() });
      const onChange = () => {
        const checked = Array.prototype.slice.call(form.querySelectorAll('input:checked')).map((input) => input.value);
        attempt.answers[question.id] = checked;
        hooks.onSave('exam', false);
      };
      form.appendChild(el('fieldset', {}, [
        el('legend', {}, [
          el('span', { class: 'question-prompt', text: i18n.pick(question.prompt) }),
          ' ',
          el('span', { class: 'question-hint', text: questionHint(question) }),
        ]),
      ].concat(renderChoices(question, name, attempt.answers[question.id] || [], onChange))));

      const isLast = position === total - 1;
      screen(i18n.ui.questionOf(position + 1, total), [
        form,
        el('nav', { class: 'screen-nav', 'aria-label': i18n.ui.pageNavigation }, [
          el('button', {
            type: 'button',
            class: 'button button--secondary',
            text: i18n.ui.previousQuestion,
            disabled: position === 0,
            onclick: () => showQuestion(position - 1, true),
          }),
          isLast
            ? button(i18n.ui.review, () => showReview(true), true)
            : button(i18n.ui.nextQuestion, () => showQuestion(position + 1, true), true),
        ]),
      ], moveFocus);
      clock = { id: question.id, since: Date.now() };
      hooks.onSave('exam', true);
    }

    function showReview(moveFocus) {
      const attempt = state.exam;
      attempt.current = 'review';
      const unanswered = attempt.drawn
        .map((id, index) => ({ id, number: index + 1 }))
        .filter((entry) => !(attempt.answers[entry.id] || []).length);
      const ui = i18n.ui;
      screen(ui.reviewTitle, [
        el('p', { text: ui.answeredCount(attempt.drawn.length - unanswered.length, attempt.drawn.length) }),
        unanswered.length ? el('p', { class: 'notice', text: ui.unansweredWarning(unanswered.length) }) : null,
        unanswered.length ? el('ul', { class: 'jump-list' }, unanswered.map((entry) =>
          el('li', {}, [button(ui.goToQuestion(entry.number), () => showQuestion(entry.number - 1, true), false)]))) : null,
        el('div', { class: 'actions' }, [
          button(ui.previousQuestion, () => showQuestion(attempt.drawn.length - 1, true), false),
          button(ui.submit, submit, true),
        ]),
      ], moveFocus);
      hooks.onSave('exam', true);
    }

    function submit() {
      stopClock();
      const attempt = state.exam;
      const scored = scoreAttempt(questionsById, attempt.drawn, attempt.answers);
      const isPassed = scored.scorePercent >= exam.passPercent;
      attempt.result = { scorePercent: scored.scorePercent, isPassed, correctIds: scored.correctIds };
      attempt.current = 'result';
      if (isPassed) attempt.hasPassed = true;
      const records = attempt.drawn.map((id) => {
        const question = questionsById[id];
        return {
          questionId: id,
          type: question.type === 'true-false' ? 'true-false' : 'choice',
          response: attempt.answers[id] || [],
          correct: correctResponse(question),
          isCorrect: scored.correctIds.indexOf(id) !== -1,
          latencyMs: attempt.spentMs[id] || 0,
          shownAt: new Date(attempt.firstShownAt[id] || Date.now()),
          description: i18n.pick(question.prompt),
        };
      });
      hooks.onSubmitted(attempt.result, records);
      showResult(true);
    }

    function describeAnswer(question, response) {
      if (!response || !response.length) return i18n.ui.noAnswer;
      if (question.type === 'true-false') return response[0] === 'true' ? i18n.ui.trueLabel : i18n.ui.falseLabel;
      return question.options
        .filter((option) => response.indexOf(option.id) !== -1)
        .map((option) => option.id.toUpperCase() + '. ' + i18n.pick(option.text))
        .join(i18n.language === 'en' ? '; ' : '；');
    }

    function showResult(moveFocus) {
      const attempt = state.exam;
      const result = attempt.result;
      const ui = i18n.ui;
      const actions = [];
      if (!result.isPassed) {
        actions.push(button(ui.retry, () => {
          newAttempt();
          showQuestion(0, true);
        }, true));
      } else if (hooks.onFinish) {
        actions.push(button(ui.finish, hooks.onFinish, true));
      }
      screen(ui.resultTitle, [
        el('p', { class: 'result-status ' + (result.isPassed ? 'result-status--passed' : 'result-status--failed'), text: result.isPassed ? ui.passed : ui.failed }),
        el('p', { class: 'result-score', text: ui.scoreLine(result.scorePercent, exam.passPercent) }),
        el('p', { text: result.isPassed ? ui.passedMessage : ui.failedMessage }),
        el('div', { class: 'actions' }, actions),
        el('ol', { class: 'result-list' }, attempt.drawn.map((id) => {
          const question = questionsById[id];
          const isCorrect = result.correctIds.indexOf(id) !== -1;
          return el('li', { class: 'result-item ' + (isCorrect ? 'result-item--correct' : 'result-item--incorrect') }, [
            el('p', { class: 'result-prompt', text: i18n.pick(question.prompt) }),
            el('p', { class: 'result-verdict', text: isCorrect ? ui.correct : ui.incorrect }),
            el('p', { text: ui.yourAnswer + describeAnswer(question, attempt.answers[id]) }),
            el('p', { class: 'result-explanation', text: ui.explanation + i18n.pick(question.explanation) }),
          ]);
        })),
      ], moveFocus);
      hooks.onSave('exam', true);
    }

    function showCurrent(moveFocus) {
      const isStale = state.exam && !state.exam.drawn.every((id) => questionsById[id]);
      if (isStale) state.exam = null; // saved under an older question bank: start over
      const attempt = state.exam;
      if (!attempt || options.isLocked) return showIntro(moveFocus);
      if (attempt.result) return showResult(moveFocus);
      if (attempt.current === 'review') return showReview(moveFocus);
      return showIntro(moveFocus);
    }

    return {
      show: showCurrent,
      /** Before the session ends: count the time on the open question. */
      flush: stopClock,
    };
  }

  Ruihe.runExam = runExam;
})(window);
