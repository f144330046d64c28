/*
 * Talks to the LMS: finds the SCORM API (1.2 `API` or 2004 `API_1484_11`) and hides the
 * differences between the two data models behind a few intention-revealing calls.
 * With no API the session runs "disconnected": every call is a harmless no-op so the
 * pages still work when opened straight from disk.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});

  const MAX_FRAME_HOPS = 500;

  // [SCORM 1.2, SCORM 2004] element names for the same idea.
  const ELEMENTS = {
    location: ['cmi.core.lesson_location', 'cmi.location'],
    suspendData: ['cmi.suspend_data', 'cmi.suspend_data'],
    language: ['cmi.student_preference.language', 'cmi.learner_preference.language'],
    exit: ['cmi.core.exit', 'cmi.exit'],
    sessionTime: ['cmi.core.session_time', 'cmi.session_time'],
  };

  function readApiFrom(win, name) {
    try {
      const api = win[name];
      return api && typeof api === 'object' ? api : null;
    } catch {
      return null; // a cross-origin frame: look further up
    }
  }

  function parentOf(win) {
    try {
      return win.parent;
    } catch {
      return null;
    }
  }

  function openerOf(win) {
    try {
      return win.opener || (win.top && win.top.opener) || null;
    } catch {
      return null;
    }
  }

  function searchChain(start, name) {
    let win = start;
    for (let hops = 0; win && hops <= MAX_FRAME_HOPS; hops += 1) {
      const api = readApiFrom(win, name);
      if (api) return api;
      const parent = parentOf(win);
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }

  function searchWindowAndOpener(name) {
    const fromFrames = searchChain(window, name);
    if (fromFrames) return fromFrames;
    const opener = openerOf(window);
    return opener ? searchChain(opener, name) : null;
  }

  /** The package's own version first, then the other one, so a mismatched LMS still records. */
  function findApi(preferredVersion) {
    const order = preferredVersion === '1.2'
      ? [['API', '1.2'], ['API_1484_11', '2004']]
      : [['API_1484_11', '2004'], ['API', '1.2']];
    for (const [name, version] of order) {
      const api = searchWindowAndOpener(name);
      if (api) return { api, version };
    }
    return null;
  }

  function pad(value, width) {
    return String(value).padStart(width, '0');
  }

  /** SCORM 2004 timeinterval, seconds with at most two decimals: PT1H2M3.4S */
  function durationIso(ms) {
    const totalCentis = Math.max(0, Math.round(ms / 10));
    const hours = Math.floor(totalCentis / 360000);
    const minutes = Math.floor((totalCentis % 360000) / 6000);
    const seconds = (totalCentis % 6000) / 100;
    return 'PT' + (hours ? hours + 'H' : '') + (minutes ? minutes + 'M' : '') + seconds + 'S';
  }

  /** SCORM 1.2 CMITimespan: HH:MM:SS.SS */
  function durationHms(ms) {
    const totalCentis = Math.max(0, Math.round(ms / 10));
    const hours = Math.floor(totalCentis / 360000);
    const minutes = Math.floor((totalCentis % 360000) / 6000);
    const seconds = Math.floor((totalCentis % 6000) / 100);
    const centis = totalCentis % 100;
    return pad(hours, 2) + ':' + pad(minutes, 2) + ':' + pad(seconds, 2) + '.' + pad(centis, 2);
  }

  /** SCORM 2004 time(second,10,0): the zone may only follow a fraction, so keep one. */
  function timestampIso(date) {
    return date.getUTCFullYear() + '-' + pad(date.getUTCMonth() + 1, 2) + '-' + pad(date.getUTCDate(), 2) +
      'T' + pad(date.getUTCHours(), 2) + ':' + pad(date.getUTCMinutes(), 2) + ':' + pad(date.getUTCSeconds(), 2) +
      '.' + pad(Math.floor(date.getUTCMilliseconds() / 10), 2) + 'Z';
  }

  /** SCORM 1.2 CMITime: time of day only. */
  function timeOfDay(date) {
    return pad(date.getHours(), 2) + ':' + pad(date.getMinutes(), 2) + ':' + pad(date.getSeconds(), 2);
  }

  function createSession(options) {
    const found = findApi(options && options.preferredVersion);
    const api = found ? found.api : null;
    const version = found ? found.version : null;
    const is12 = version === '1.2';
    const startedAt = Date.now();
    const beforeFinish = [];
    let isInitialized = false;
    let isFinished = false;

    function invoke(name12, name2004, args) {
      const method = api && api[is12 ? name12 : name2004];
      if (typeof method !== 'function') return '';
      try {
        return method.apply(api, args);
      } catch (error) {
        console.warn('[course] SCORM call failed', name2004, error);
        return '';
      }
    }

    function isTrue(result) {
      return result === true || result === 'true';
    }

    function getRaw(element) {
      if (!isInitialized) return '';
      const value = invoke('LMSGetValue', 'GetValue', [element]);
      return value === null || value === undefined ? '' : String(value);
    }

    function setRaw(element, value) {
      if (!isInitialized || isFinished) return false;
      const ok = isTrue(invoke('LMSSetValue', 'SetValue', [element, String(value)]));
      if (!ok) console.warn('[course] LMS refused', element, value, invoke('LMSGetLastError', 'GetLastError', []));
      return ok;
    }

    function name(key) {
      return ELEMENTS[key][is12 ? 0 : 1];
    }

    function get(key) {
      return getRaw(name(key));
    }

    function set(key, value) {
      return setRaw(name(key), value);
    }

    function commit() {
      if (isInitialized && !isFinished) invoke('LMSCommit', 'Commit', ['']);
    }

    function initialize() {
      if (!api) return false;
      isInitialized = isTrue(invoke('LMSInitialize', 'Initialize', ['']));
      return isInitialized;
    }

    /** Whether the LMS already holds this SCO as completed (lesson_status in 1.2). */
    function readStatus() {
      const status = getRaw(is12 ? 'cmi.core.lesson_status' : 'cmi.completion_status');
      return { isCompleted: is12 ? status !== 'not attempted' && status !== 'incomplete' && status !== '' && status !== 'browsed' : status === 'completed' };
    }

    function markStarted() {
      const status = readStatus();
      if (status.isCompleted) return;
      setRaw(is12 ? 'cmi.core.lesson_status' : 'cmi.completion_status', 'incomplete');
    }

    function markCompleted() {
      // 1.2: a status the LMS set from an earlier package (passed/failed) is left alone.
      if (is12) {
        if (!readStatus().isCompleted) setRaw('cmi.core.lesson_status', 'completed');
      } else {
        setRaw('cmi.completion_status', 'completed');
        setRaw('cmi.progress_measure', '1');
      }
      commit();
    }

    function reportProgress(fraction) {
      if (is12 || !isInitialized) return;
      const value = Math.max(0, Math.min(1, fraction));
      setRaw('cmi.progress_measure', String(Math.round(value * 100) / 100));
    }

    function setExit(isSuspend) {
      set('exit', isSuspend ? 'suspend' : (is12 ? '' : 'normal'));
    }

    /** SCORM 2004 only: ask the LMS to move on. Ends this session. */
    function requestContinue() {
      if (is12 || !isInitialized || isFinished) return false;
      const ok = setRaw('adl.nav.request', 'continue');
      finish();
      return ok;
    }

    function finish() {
      if (!isInitialized || isFinished) return;
      for (const hook of beforeFinish) {
        try {
          hook();
        } catch (error) {
          console.warn('[course] before-finish hook failed', error);
        }
      }
      const elapsed = Date.now() - startedAt;
      set('sessionTime', is12 ? durationHms(elapsed) : durationIso(elapsed));
      // No explicit commit here: during page dismissal a synchronous commit fails, and
      // Finish/Terminate sends the final state by itself.
      invoke('LMSFinish', 'Terminate', ['']);
      isFinished = true;
    }

    window.addEventListener('pagehide', finish);

    return {
      version,
      initialize,
      get isConnected() {
        return isInitialized && !isFinished;
      },
      get isFinished() {
        return isFinished;
      },
      get,
      set,
      commit,
      readStatus,
      markStarted,
      markCompleted,
      reportProgress,
      setExit,
      requestContinue,
      finish,
      onBeforeFinish(hook) {
        beforeFinish.push(hook);
      },
    };
  }

  Ruihe.createSession = createSession;
  Ruihe.formatDuration = { durationIso, durationHms, timestampIso, timeOfDay };
})(window);
