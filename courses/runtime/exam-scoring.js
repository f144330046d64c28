/*
 * Exam rules without any DOM: draw the questions for an attempt, decide whether an answer is
 * right, and score an attempt out of 100. Multiple-response answers count only when exactly
 * the correct set is chosen.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});

  /** A random subset of `count` ids in random order (Fisher–Yates on a copy). */
  function drawQuestions(ids, count, random) {
    const pool = ids.slice();
    const rand = random || Math.random;
    for (let i = pool.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      const swap = pool[i];
      pool[i] = pool[j];
      pool[j] = swap;
    }
    return pool.slice(0, Math.min(count, pool.length));
  }

  /** Correct response as option ids; true/false questions answer 'true' or 'false'. */
  function correctResponse(question) {
    return question.type === 'true-false' ? [String(question.answer)] : question.correct.slice().sort();
  }

  function isAnswerCorrect(question, response) {
    const expected = correctResponse(question);
    const given = (response || []).slice().sort();
    return given.length === expected.length && given.every((id, index) => id === expected[index]);
  }

  function scoreAttempt(questionsById, drawnIds, answers) {
    const correctIds = drawnIds.filter((id) => isAnswerCorrect(questionsById[id], answers[id]));
    const scorePercent = drawnIds.length ? Math.round((correctIds.length * 100) / drawnIds.length) : 0;
    return { scorePercent, correctIds };
  }

  Ruihe.examScoring = { drawQuestions, correctResponse, isAnswerCorrect, scoreAttempt };
})(window);
