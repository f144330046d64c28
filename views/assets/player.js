// The SCORM player: builds scorm-again's API for the SCO in the iframe, preloads what the LMS
// stored, commits through a transport that survives page dismissal, and moves between SCOs.
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('launch-config').textContent);
  const is12 = config.version === '1.2';
  // Content on its own origin: the frame holds a launcher page there, talking to us by postMessage.
  const contentOrigin = config.contentOrigin || null;
  const frame = document.getElementById('sco-frame');
  const statusLine = document.getElementById('save-status');
  const BEACON_LIMIT = 60000; // Chromium refuses beacons once 64 KB are in flight.

  let sequence = 0;
  let unloading = false;
  let leaving = false;
  let pendingNav = null;
  let lastAcked = null; // the last payload the server confirmed, for slim beacons
  let retryBody = null;
  let retryTimer = null;

  function say(key) {
    statusLine.textContent = config.strings[key] || '';
    statusLine.dataset.state = key;
  }

  /** Only what changed since the last confirmed commit: keeps a final beacon under the limit. */
  function delta(current, previous) {
    if (previous === null || typeof current !== 'object' || current === null) return current;
    const out = {}; // arrays become index-keyed objects: the server reads both the same way
    let changed = false;
    Object.keys(current).forEach(function (key) {
      const a = current[key];
      const b = previous && typeof previous === 'object' ? previous[key] : undefined;
      if (a !== null && typeof a === 'object') {
        const d = delta(a, b && typeof b === 'object' ? b : null);
        if (d !== undefined) { out[key] = d; changed = true; }
      } else if (a !== b) { out[key] = a; changed = true; }
    });
    return changed ? out : undefined;
  }

  function sendBeacon(payload) {
    let body = JSON.stringify(payload);
    if (body.length > BEACON_LIMIT && lastAcked) {
      body = JSON.stringify({ cmi: delta(payload.cmi, lastAcked.cmi) || {}, adl: delta(payload.adl, lastAcked.adl) || {}, seq: payload.seq, terminate: payload.terminate });
    }
    const sent = navigator.sendBeacon(config.commitUrl, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    return { result: sent ? 'true' : 'false', errorCode: sent ? 0 : (is12 ? 101 : 391) };
  }

  function scheduleRetry(body) {
    retryBody = body;
    say('retrying');
    if (retryTimer) return;
    retryTimer = setInterval(function () {
      if (!retryBody) return;
      const xhr = new XMLHttpRequest();
      xhr.open('POST', config.commitUrl, true);
      xhr.setRequestHeader('Content-Type', 'application/json');
      const body = retryBody;
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300 && retryBody === body) {
          retryBody = null;
          lastAcked = JSON.parse(body);
          clearInterval(retryTimer);
          retryTimer = null;
          say('saved');
        }
      };
      xhr.send(body);
    }, 5000);
  }

  /**
   * scorm-again's transport: a synchronous XHR while the page lives (the SCO learns the real
   * result); a beacon when the page is being dismissed, where Chromium refuses synchronous XHR.
   * Each commit carries a sequence number so the server applies it exactly once.
   */
  const httpService = {
    processHttpRequest: function (url, params, immediate) {
      sequence += 1;
      const payload = Object.assign({}, params, { seq: sequence, terminate: Boolean(immediate) });
      const body = JSON.stringify(payload);
      if (unloading) return sendBeacon(payload);
      try {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url, false);
        xhr.setRequestHeader('Content-Type', 'application/json');
        xhr.send(body);
        if (xhr.status >= 200 && xhr.status < 300) {
          const answer = JSON.parse(xhr.responseText);
          lastAcked = payload;
          if (retryBody) retryBody = null;
          say(answer.result ? 'saved' : 'refused');
          return { result: answer.result ? 'true' : 'false', errorCode: answer.errorCode || 0 };
        }
        if (xhr.status === 401 || xhr.status === 404) {
          say('sessionLost');
          return { result: 'false', errorCode: is12 ? 101 : 391 };
        }
        scheduleRetry(body);
        return { result: 'true', errorCode: 0 };
      } catch {
        // Synchronous XHR refused (the SCO's own unload code runs during page dismissal) or the
        // network is down: a beacon still leaves during dismissal; if the page lives on, retry too
        // (the sequence number makes a second arrival harmless).
        const beacon = sendBeacon(payload);
        if (!unloading) scheduleRetry(body);
        return beacon;
      }
    },
    updateSettings: function () {},
  };

  const settings = {
    lmsCommitUrl: config.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    logLevel: 5,
    dataCommitFormat: 'json',
    commitRequestDataType: 'application/json;charset=UTF-8',
    terminationCommitContentType: 'text/plain;charset=UTF-8',
    httpService: httpService,
  };
  const api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  try {
    api.loadFromJSON(config.state);
  } catch (e) {
    // One value the runtime refuses must not stop the launch; the server keeps the record.
    console.error('[player] preload refused', e);
  }
  if (is12) window.API = api; else window.API_1484_11 = api;

  /**
   * What the launcher's CrossFrameAPI answers from before its first round trip: every value the
   * runtime holds, plus counts, _children and _version, which getFlattenedCMI leaves out.
   */
  function launchSnapshot() {
    const values = {};
    const flat = api.getFlattenedCMI();
    Object.keys(flat).forEach(function (key) { if (typeof flat[key] === 'string') values[key] = flat[key]; });
    const peek = function (element) {
      try {
        const value = api.getCMIValue(element);
        if (value !== undefined && value !== null && typeof value !== 'object') values[element] = String(value);
      } catch { /* not in this data model */ }
    };
    const extra = is12
      ? ['cmi._version', 'cmi.core.total_time', 'cmi.core._children', 'cmi.core.score._children', 'cmi.objectives._children', 'cmi.objectives._count',
        'cmi.student_data._children', 'cmi.student_preference._children', 'cmi.interactions._children', 'cmi.interactions._count']
      : ['cmi._version', 'cmi.score._children', 'cmi.objectives._children', 'cmi.objectives._count', 'cmi.interactions._children', 'cmi.interactions._count',
        'cmi.learner_preference._children', 'cmi.comments_from_learner._children', 'cmi.comments_from_learner._count',
        'cmi.comments_from_lms._children', 'cmi.comments_from_lms._count', 'adl.data._children', 'adl.data._count',
        'adl.nav.request_valid.continue', 'adl.nav.request_valid.previous'];
    extra.forEach(peek);
    for (let i = 0; !is12 && i < Number(values['adl.data._count'] || 0); i += 1) {
      peek('adl.data.' + i + '.id');
      peek('adl.data.' + i + '.store');
    }
    api.lastErrorCode = '0';
    return values;
  }

  let onContentUnloaded = null;
  if (contentOrigin) {
    // Explicit origins both ways, never '*'; a generous rate limit: authoring tools send
    // hundreds of SetValues in a burst, and each one is followed by a cache refresh.
    new window.CrossFrameLMS(api, contentOrigin, { rateLimit: 5000 });
    window.addEventListener('message', function (event) {
      if (event.origin !== contentOrigin || event.source !== frame.contentWindow || !event.data) return;
      if (event.data.type === 'lms-launcher:ready') {
        frame.contentWindow.postMessage({ type: 'lms-launcher:state', values: launchSnapshot() }, contentOrigin);
      } else if (event.data.type === 'lms-launcher:unloaded' && onContentUnloaded) {
        onContentUnloaded();
      }
    });
  }

  /** Listener errors must never reach the SCO's own Terminate call. */
  function safely(fn) {
    return function () { try { fn.apply(null, arguments); } catch (e) { console.error('[player]', e); } };
  }

  if (!is12) {
    api.on('SetValue.adl.nav.request', safely(function (element, value) { pendingNav = String(value); }));
  }
  api.on(is12 ? 'LMSFinish' : 'Terminate', safely(function () {
    if (leaving || unloading) return;
    setTimeout(function () { navigateAfterTerminate(); }, 0);
  }));

  function isLive() {
    return api.isInitialized() && !api.isTerminated();
  }

  // Whether the SCO chose an exit itself (the event fires even for refused values: good enough here).
  let exitChosen = false;
  api.on(is12 ? 'LMSSetValue.cmi.core.exit' : 'SetValue.cmi.exit', safely(function () { exitChosen = true; }));

  /**
   * The learner closed the window while the SCO was running and the SCO said nothing about
   * leaving: keep the attempt resumable, as if it had suspended (unless it is already complete).
   * Needed on the content origin, where the SCO's own unload code can no longer reach us.
   */
  function suspendIfAbandoned() {
    if (!isLive() || exitChosen) return;
    const completion = is12 ? api.cmi.core.lesson_status : api.cmi.completion_status;
    if (completion === 'completed' || completion === 'passed' || completion === 'failed') return;
    if (is12) api.LMSSetValue('cmi.core.exit', 'suspend'); else api.SetValue('cmi.exit', 'suspend');
  }

  function finish() {
    if (!isLive()) return;
    if (is12) api.LMSFinish(''); else api.Terminate('');
  }

  /** Unload the SCO first (its own unload code may still talk to the API), then finish for it. */
  function leaveTo(url) {
    if (leaving) return;
    leaving = true;
    say('saving');
    let gone = false;
    const go = function () {
      if (gone) return;
      gone = true;
      finish();
      window.location.href = url;
    };
    if (contentOrigin && frame.contentWindow) {
      // The launcher unloads the SCO on its origin and says so after the SCO's last calls.
      onContentUnloaded = go;
      frame.contentWindow.postMessage({ type: 'lms-launcher:unload' }, contentOrigin);
    } else {
      frame.addEventListener('load', go, { once: true });
      frame.src = 'about:blank';
    }
    setTimeout(go, 3000);
  }

  function scoUrl(identifier) { return config.scoBaseUrl + encodeURIComponent(identifier); }

  function navigateAfterTerminate() {
    const request = pendingNav || '_none_';
    const target = /\{target=([^}]+)\}/.exec(request);
    if (target) return leaveTo(scoUrl(target[1]));
    if (request === 'continue' && config.next) return leaveTo(scoUrl(config.next));
    if (request === 'previous' && config.previous) return leaveTo(scoUrl(config.previous));
    if (/^(exitAll|suspendAll|abandonAll)$/.test(request)) return leaveTo(config.exitUrl);
    say('finished');
    document.getElementById('after-sco').hidden = false;
  }

  document.querySelectorAll('[data-sco]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      leaveTo(scoUrl(link.dataset.sco));
    });
  });
  document.querySelectorAll('[data-exit]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      leaveTo(config.exitUrl);
    });
  });

  // Closing the tab: finish on the SCO's behalf so its final state goes out as a beacon. On our
  // own origin, removing the frame first runs the SCO's unload code while the API is still live.
  window.addEventListener('pagehide', function () {
    unloading = true;
    if (!contentOrigin && isLive()) {
      try { frame.remove(); } catch { /* already gone */ }
    }
    suspendIfAbandoned();
    finish();
  });

  frame.src = config.contentUrl;
  window.lmsPlayer = { api: api, config: config, finish: finish };
})();
