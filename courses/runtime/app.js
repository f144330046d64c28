/*
 * Starts a page: reads the course data embedded by the build, connects to the LMS, picks the
 * language, and runs one of two kinds of SCO:
 *   lesson — one lesson (SCORM 2004 multi-SCO packages)
 *   course — every lesson in one SCO (SCORM 1.2 packages)
 * Progress is saved as location + suspend_data; exit is "suspend" until the SCO is finished.
 * The package reports completion only: the exam is the LMS's, so no answer key is in the page.
 */
(function (window) {
  'use strict';
  const Ruihe = window.Ruihe;
  const document = window.document;
  const { el, clear, focusHeading } = Ruihe.dom;
  const { parseProgress, lessonProgress, serializeProgress } = Ruihe.progress;

  function readConfig() {
    return JSON.parse(document.getElementById('course-data').textContent);
  }

  /** Only for pages opened outside an LMS: ?lang=en previews the English version. */
  function languageFromUrl() {
    try {
      return new URL(window.location.href).searchParams.get('lang') || '';
    } catch {
      return '';
    }
  }

  function start() {
    const config = readConfig();
    const session = Ruihe.createSession({ preferredVersion: config.scormVersion });
    const isConnected = session.initialize();
    const preference = isConnected ? session.get('language') : '';
    const i18n = Ruihe.createI18n(Ruihe.chooseLanguage(preference || languageFromUrl()));
    const ui = i18n.ui;
    const state = parseProgress(isConnected ? session.get('suspendData') : '');
    const savedLocation = isConnected ? session.get('location') : '';
    if (isConnected) session.markStarted();

    // --- page shell -------------------------------------------------------------------------
    document.documentElement.lang = ui.htmlLang;
    document.querySelector('.skip-link').textContent = ui.skipToContent;
    document.querySelector('.course-title').textContent = i18n.pick(config.course.title);
    const partLabel = document.querySelector('.part-label');
    const heading = document.querySelector('main h1');
    const content = document.getElementById('content');
    // Inside an LMS its player bar names the course and moves between lessons: the page drops
    // its own title bar there (one bar, not two stacked) and keeps only the lesson label.
    if (isConnected) document.documentElement.classList.add('in-lms');
    if (!isConnected) {
      document.querySelector('.course-header').appendChild(el('p', { class: 'banner', role: 'note', text: ui.notRecorded }));
    }

    function setPart(title, label) {
      heading.textContent = title;
      partLabel.textContent = label;
      document.title = title + ' | ' + i18n.pick(config.course.title);
    }

    function showEnded(message) {
      clear(content);
      content.appendChild(el('p', { class: 'notice', tabindex: '-1', 'data-focus-target': true, text: message }));
      focusHeading(content);
    }

    // --- saving -----------------------------------------------------------------------------
    let location = savedLocation;
    let isFinished = () => false;

    function save(newLocation, shouldCommit) {
      location = newLocation;
      if (!isConnected || session.isFinished) return;
      session.set('location', location);
      session.set('suspendData', serializeProgress(state));
      session.setExit(!isFinished());
      if (shouldCommit) session.commit();
    }

    function finishSession() {
      save(location, false);
      session.finish();
      showEnded(ui.sessionEnded);
    }

    session.onBeforeFinish(() => save(location, false));

    // --- the two kinds of SCO --------------------------------------------------------------
    if (config.kind === 'lesson') {
      const lesson = config.lessons[0];
      const progress = lessonProgress(state, lesson.id);
      isFinished = () => progress.done;
      const fromLocation = /^S(\d+)$/.exec(savedLocation);
      setPart(i18n.pick(lesson.title), ui.lessonOf(config.lessonNumber, config.lessonCount));
      Ruihe.runLesson({
        container: content,
        lesson,
        progress,
        i18n,
        startScreen: fromLocation ? Number(fromLocation[1]) : progress.screen,
        hooks: {
          onChange(current, isNavigation) {
            session.reportProgress((current.furthest + 1) / lesson.screens.length);
            save('S' + current.screen, isNavigation);
          },
          onComplete() {
            session.markCompleted();
          },
          previousOutside: null,
          endActions() {
            if (!isConnected || session.version !== '2004') return [];
            return [{
              label: ui.continueInLms,
              onClick() {
                save(location, false);
                session.requestContinue();
                showEnded(ui.continueHint);
              },
            }];
          },
        },
      });
      return;
    }

    // kind === 'course': every lesson in one SCO; completed when the last one is.
    const lessons = config.lessons;
    const lastScreen = (index) => lessons[index].screens.length - 1;
    const allLessonsDone = () => lessons.every((lesson) => lessonProgress(state, lesson.id).done);
    isFinished = allLessonsDone;

    function showLesson(index, screen, moveFocus) {
      const lesson = lessons[index];
      const progress = lessonProgress(state, lesson.id);
      setPart(i18n.pick(lesson.title), ui.lessonOf(index + 1, lessons.length));
      Ruihe.runLesson({
        container: content,
        lesson,
        progress,
        i18n,
        startScreen: screen,
        focusOnStart: moveFocus,
        hooks: {
          onChange(current, isNavigation) {
            save('L' + index + '.S' + current.screen, isNavigation);
          },
          onComplete() {
            save('L' + index + '.S' + lastScreen(index), true);
            if (isConnected && allLessonsDone()) session.markCompleted();
          },
          previousOutside: index > 0 ? () => showLesson(index - 1, lastScreen(index - 1), true) : null,
          endActions() {
            if (index < lessons.length - 1) {
              return [{ label: ui.nextLesson, onClick: () => showLesson(index + 1, 0, true) }];
            }
            return isConnected ? [{ label: ui.finish, onClick: finishSession }] : [];
          },
        },
      });
    }

    const lessonLocation = /^L(\d+)\.S(\d+)$/.exec(savedLocation);
    if (lessonLocation && lessons[Number(lessonLocation[1])]) {
      showLesson(Number(lessonLocation[1]), Number(lessonLocation[2]), false);
    } else {
      const firstOpen = lessons.findIndex((lesson) => !lessonProgress(state, lesson.id).done);
      const index = firstOpen === -1 ? lessons.length - 1 : firstOpen;
      showLesson(index, firstOpen === -1 ? lastScreen(index) : lessonProgress(state, lessons[index].id).screen, false);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
