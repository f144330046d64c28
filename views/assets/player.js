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
          if (seq && !immediate) setTimeout(function () { saveSequencingState(); showValidity(); }, 0);
          say(answer.result ? 'saved' : 'refused');
          if (!answer.result) tellRefusal(answer.errorCode);
          return { result: answer.result ? 'true' : 'false', errorCode: answer.errorCode || 0 };
        }
        if (xhr.status === 401 || xhr.status === 404) {
          say('sessionLost');
          tellRefusal(xhr.status);
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
  // SCORM 2004 sequencing: scorm-again's engine runs the activity tree built from the manifest;
  // it says which SCO comes next, and the LMS loads that SCO's page.
  const seq = config.sequencing || null;
  const engine = { delivered: null, ended: null, validity: null };
  if (seq) {
    settings.sequencing = Object.assign({}, seq.settings, {
      eventListeners: {
        onActivityDelivery: function (activity) { engine.delivered = activity.id; },
        onSequencingSessionEnd: function (data) { engine.ended = data && data.reason; },
        onNavigationValidityUpdate: function (validity) { engine.validity = validity; showValidity(); },
      },
    });
  }
  const api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  try {
    api.loadFromJSON(config.state);
  } catch (e) {
    // One value the runtime refuses must not stop the launch; the server keeps the record.
    console.error('[player] preload refused', e);
  }
  if (seq && seq.state) {
    try { api.deserializeSequencingState(JSON.stringify(seq.state)); } catch (e) { console.error('[player] sequencing state refused', e); }
  }
  // Global objectives shared with other courses: the server's copy is the newest.
  if (seq && Object.keys(seq.globalObjectives || {}).length) {
    try { api.restoreGlobalObjectiveSnapshot(seq.globalObjectives); } catch (e) { console.error('[player] global objectives refused', e); }
  }
  if (is12) window.API = api; else window.API_1484_11 = api;

  /**
   * What the launcher builds its own complete API from: the same stored state, and the engine's
   * state after this page delivered the SCO (so adl.nav.request_valid and objectives read from
   * global objectives answer there as here).
   */
  function launcherInit() {
    let sequencing = null;
    if (seq) {
      let state = null;
      try { state = api.serializeSequencingState(); } catch (e) { console.error('[player] sequencing state', e); }
      sequencing = { settings: seq.settings, state: state, globalObjectives: seq.globalObjectives || {} };
    }
    return { state: config.state, sequencing: sequencing };
  }

  // The launcher's calls that change the record, replayed here in the order the SCO made them.
  const REPLAYED = is12 ? ['LMSInitialize', 'LMSFinish', 'LMSSetValue', 'LMSCommit'] : ['Initialize', 'Terminate', 'SetValue', 'Commit'];

  function replay(method, args) {
    if (REPLAYED.indexOf(method) < 0 || !Array.isArray(args) || args.length > 2) return;
    if (!args.every(function (a) { return typeof a === 'string'; })) return;
    try { api[method].apply(api, args); } catch (e) { console.error('[player] replay', method, e); }
  }

  /**
   * The server refused a commit the launcher's API had already answered "true" to (content on its
   * own origin cannot wait for us: the SCO's call returned before the replay got here). The
   * launcher reports it on the SCO's next Commit or Terminate ("false", 391 / 1.2: 101).
   */
  function tellRefusal(serverCode) {
    if (!contentOrigin || !frame.contentWindow) return;
    frame.contentWindow.postMessage({ type: 'lms-launcher:commit-refused', serverCode: Number(serverCode) || 0 }, contentOrigin);
  }

  let onContentUnloaded = null;
  let launcherStarted = false;
  if (contentOrigin) {
    // Explicit origins both ways, never '*'.
    window.addEventListener('message', function (event) {
      if (event.origin !== contentOrigin || event.source !== frame.contentWindow || !event.data) return;
      if (event.data.type === 'lms-launcher:ready' && !launcherStarted) {
        launcherStarted = true;
        frame.contentWindow.postMessage({ type: 'lms-launcher:state', launch: launcherInit() }, contentOrigin);
      } else if (event.data.type === 'lms-launcher:call') {
        replay(event.data.method, event.data.args);
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
    setTimeout(function () { if (seq) followEngine(); else navigateAfterTerminate(); }, 0);
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
    if (request === 'exitAll') return leaveTo(config.resultUrl);
    if (/^(suspendAll|abandonAll)$/.test(request)) return leaveTo(config.exitUrl);
    // The last (or only) SCO ended: the course's result page, not a table of contents.
    if (!config.next) return leaveTo(config.resultUrl);
    say('finished');
    document.getElementById('after-sco').hidden = false;
  }

  document.querySelectorAll('[data-sco]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      if (seq) return chooseActivity(link.dataset.sco);
      leaveTo(scoUrl(link.dataset.sco));
    });
  });
  document.querySelectorAll('[data-seq-nav]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      navigate(button.dataset.seqNav);
    });
  });
  let exitPressed = false; // the LMS's Exit button goes home; a course that ends by itself shows its result
  document.querySelectorAll('[data-exit]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      exitPressed = true;
      if (seq) return navigate(isCourseCompleted() ? 'exitAll' : 'suspendAll');
      leaveTo(config.exitUrl);
    });
  });

  // ---- Sequencing (SCORM 2004 courses with several SCOs) ----

  let sequencingRev = seq ? seq.rev : 0;
  let lastSentState = null;

  /** Sends the engine's state beside the commits: synchronously while the page lives, else as a beacon. */
  function saveSequencingState() {
    if (!seq || !seq.saveUrl) return;
    let state;
    try { state = api.serializeSequencingState(); } catch (e) { console.error('[player] sequencing state', e); return; }
    const unchanged = state.replace(/"timestamp":"[^"]*"/g, '') + JSON.stringify(engine.validity && engine.validity.choice);
    if (unchanged === lastSentState) return;
    sequencingRev += 1;
    const body = JSON.stringify({ rev: sequencingRev, state: state, choice: (engine.validity && engine.validity.choice) || {} });
    lastSentState = unchanged;
    if (unloading) {
      // Over the beacon quota the server keeps the previous state, which still resumes here.
      if (body.length < BEACON_LIMIT) navigator.sendBeacon(seq.saveUrl, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
      return;
    }
    try {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', seq.saveUrl, false);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(body);
    } catch (e) {
      console.error('[player] sequencing state not saved', e);
      lastSentState = null;
    }
  }

  function currentActivity() {
    try { return api.getSequencingState().currentActivity || null; } catch { return null; }
  }

  function isCourseCompleted() {
    try {
      const root = api.getSequencingState().rootActivity;
      return Boolean(root && root.completionStatus === 'completed');
    } catch { return false; }
  }

  function refreshValidity() {
    try {
      const process = api.getSequencingService() && api.getSequencingService().getOverallSequencingProcess();
      if (process) process.updateNavigationValidity();
    } catch (e) { console.error('[player] navigation validity', e); }
  }

  /** Previous/Continue follow the engine; a choice it refuses shows as disabled; hideLMSUI hides controls. */
  function showValidity() {
    const v = engine.validity;
    if (!v) return;
    const hidden = v.hideLmsUi || [];
    document.querySelectorAll('[data-seq-nav]').forEach(function (button) {
      const request = button.dataset.seqNav;
      button.disabled = leaving || !isAllowed(request, v);
      hide(button, hidden.indexOf(request) >= 0);
    });
    document.querySelectorAll('[data-exit]').forEach(function (button) {
      hide(button, hidden.indexOf('suspendAll') >= 0 && hidden.indexOf('exitAll') >= 0);
    });
    document.querySelectorAll('.toc [data-sco]').forEach(function (link) {
      const refused = v.choice && v.choice[link.dataset.sco] === 'false' && link.getAttribute('aria-current') !== 'page';
      if (refused) { link.setAttribute('aria-disabled', 'true'); link.classList.add('disabled'); } else { link.removeAttribute('aria-disabled'); link.classList.remove('disabled'); }
    });
  }

  /** The button class sets a display, which would beat the hidden attribute alone. */
  function hide(element, isHidden) {
    element.hidden = isHidden;
    element.style.display = isHidden ? 'none' : '';
  }

  /**
   * Whether Previous/Continue would deliver something. While the SCO runs, the engine's preview
   * ends its attempt on a copy first (completion the SCO just reported counts); the validity
   * map alone is optimistic.
   */
  function isAllowed(request, v) {
    if (isLive()) {
      try {
        const preview = api.previewNavigationRequest(request);
        if (preview.outcome !== 'unknown') return preview.outcome === 'allowed';
      } catch { /* fall back to the validity map */ }
    }
    return Boolean(v[request]);
  }

  function showUnavailable(key) {
    say(key);
    document.getElementById('sco-unavailable').hidden = false;
  }

  /** After the engine handled a request: the delivered SCO's page, the exit, or stay here. */
  function followEngine() {
    const delivered = engine.delivered;
    const ended = engine.ended;
    engine.delivered = null;
    saveSequencingState();
    if (delivered) return goTo(scoUrl(delivered));
    if (ended) return goTo(!exitPressed && isCourseCompleted() ? config.resultUrl : config.exitUrl);
    leaving = false;
    say('finished');
    document.getElementById('after-sco').hidden = false;
    refreshValidity();
  }

  function goTo(url) {
    leaving = true;
    window.location.href = url;
  }

  /** A navigation request from the LMS controls: through the live SCO's Terminate, or straight to the engine. */
  function navigate(request, target) {
    if (leaving) return;
    engine.delivered = null;
    engine.ended = null;
    if (!isLive()) {
      let accepted = false;
      try { accepted = api.processNavigationRequest(request, target); } catch (e) { console.error('[player] navigation', e); }
      if (!accepted && !engine.delivered && !engine.ended) return showUnavailable('choiceRefused');
      return followEngine();
    }
    api.SetValue('adl.nav.request', target ? '{target=' + target + '}' + request : request);
    leaving = true;
    say('saving');
    let done = false;
    const after = function () {
      if (done) return;
      done = true;
      finish();
      followEngine();
    };
    if (contentOrigin && frame.contentWindow) {
      onContentUnloaded = after;
      frame.contentWindow.postMessage({ type: 'lms-launcher:unload' }, contentOrigin);
    } else {
      frame.addEventListener('load', after, { once: true });
      frame.src = 'about:blank';
    }
    setTimeout(after, 3000);
  }

  function chooseActivity(identifier) {
    const current = currentActivity();
    if (current && current.id === identifier && isLive()) return;
    const v = engine.validity;
    if (v && v.choice && v.choice[identifier] === 'false') return showUnavailable('choiceRefused');
    navigate('choice', identifier);
  }

  /**
   * Which request delivers this page's SCO: none when the last page already delivered it, a
   * choice when the learner asked for it, else resume or start where the saved state says.
   */
  function deliverThisSco() {
    const current = currentActivity();
    if (current && current.id === seq.scoId && current.isActive && !current.isSuspended) {
      // Delivered by the last page: seed this page's data model as delivery does (objective read
      // maps from global objectives, completion threshold, shared data maps).
      try { api.applyCurrentActivityLaunchData(); } catch (e) { console.error('[player] launch data', e); }
      return seq.scoId;
    }
    const saved = (seq.state && seq.state.sequencing) || {};
    const requests = seq.isRequested ? [['choice', seq.scoId]]
      : saved.suspendedActivity ? [['resumeAll'], ['choice', seq.scoId]]
        : !current ? [['start']] : [['choice', seq.scoId], ['resumeAll'], ['continue']];
    for (let i = 0; i < requests.length && !engine.delivered; i += 1) {
      try { api.processNavigationRequest(requests[i][0], requests[i][1]); } catch (e) { console.error('[player] delivery', e); }
    }
    const delivered = engine.delivered;
    engine.delivered = null;
    if (delivered) saveSequencingState();
    return delivered;
  }

  /**
   * An asset makes no API calls: the LMS reports it attempted and completed for it (SN: content
   * that sets no completion is completed by the LMS), so rollup, progress and "all SCOs" rules
   * count it. Leaving it then goes through Terminate like a SCO.
   */
  function reportForAsset() {
    try {
      if (api.Initialize('') !== 'true') return;
      api.SetValue('cmi.completion_status', 'completed');
      api.Commit('');
    } catch (e) { console.error('[player] asset', e); }
  }

  // Closing the tab: finish on the SCO's behalf so its final state goes out as a beacon. On our
  // own origin, removing the frame first runs the SCO's unload code while the API is still live.
  window.addEventListener('pagehide', function () {
    unloading = true;
    // Leaving for the next SCO (or the exit) after the engine decided: nothing more to do.
    if (seq && leaving && !isLive()) return;
    if (!contentOrigin && isLive()) {
      try { frame.remove(); } catch { /* already gone */ }
    }
    suspendIfAbandoned();
    // A sequenced course closed mid-way is suspended, so the next launch resumes it.
    if (seq && isLive() && (api.adl.nav.request || '_none_') === '_none_') api.SetValue('adl.nav.request', 'suspendAll');
    finish();
    if (seq && !engine.ended && !leaving) {
      try { api.processNavigationRequest('suspendAll'); } catch { /* nothing to suspend */ }
    }
    if (seq) saveSequencingState();
  });

  if (seq) {
    const delivered = deliverThisSco();
    if (delivered && delivered !== seq.scoId) {
      goTo(scoUrl(delivered));
    } else if (!delivered) {
      showUnavailable('unavailable');
      refreshValidity();
    } else {
      refreshValidity();
      frame.src = config.contentUrl;
      if (seq.isAsset) reportForAsset();
    }
  } else {
    frame.src = config.contentUrl;
  }
  // Learning time as the LMS measures it: a small heartbeat while the course is visible (the
  // server cuts gaps longer than its idle threshold, so a killed browser stops counting).
  let heartbeatTimer = null;
  function heartbeat() {
    if (document.visibilityState !== 'visible' || unloading) return;
    fetch(config.heartbeatUrl, { method: 'POST', credentials: 'same-origin', keepalive: true }).catch(function () { /* the next one counts the gap */ });
  }
  function watchVisibility() {
    if (document.visibilityState === 'visible' && !heartbeatTimer) {
      heartbeat();
      heartbeatTimer = setInterval(heartbeat, config.heartbeatSeconds * 1000);
    } else if (document.visibilityState !== 'visible' && heartbeatTimer) {
      clearInterval(heartbeatTimer);
      heartbeatTimer = null;
    }
  }
  if (config.heartbeatUrl) {
    document.addEventListener('visibilitychange', watchVisibility);
    watchVisibility();
  }

  window.lmsPlayer = { api: api, config: config, finish: finish, engine: engine };
})();
