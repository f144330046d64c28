/*
 * What the learner has done, kept in suspend_data as JSON so a resumed session picks up exactly
 * where it stopped: per lesson the current and furthest screen and the decisions made. `exam` is
 * null (older packages kept their in-page exam there; the exam is the LMS's now).
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});

  const FORMAT_VERSION = 1;

  function emptyState() {
    return { v: FORMAT_VERSION, lessons: {}, exam: null };
  }

  function parseProgress(raw) {
    if (!raw) return emptyState();
    try {
      const parsed = JSON.parse(raw);
      if (!parsed || parsed.v !== FORMAT_VERSION || typeof parsed.lessons !== 'object') return emptyState();
      return { v: FORMAT_VERSION, lessons: parsed.lessons || {}, exam: parsed.exam || null };
    } catch {
      return emptyState(); // someone else's suspend data: start fresh rather than fail
    }
  }

  function lessonProgress(state, lessonId) {
    if (!state.lessons[lessonId]) state.lessons[lessonId] = { screen: 0, furthest: 0, done: false, decisions: {} };
    return state.lessons[lessonId];
  }

  function serializeProgress(state) {
    return JSON.stringify(state);
  }

  Ruihe.progress = { parseProgress, lessonProgress, serializeProgress };
})(window);
