// Runs on the CONTENT origin, between the player (LMS origin, its parent) and the SCO (a nested
// frame on this origin). It gives the SCO the complete scorm-again API in its parent window, as
// SCORM requires: Scorm12API / Scorm2004API with the sequencing engine, preloaded with the launch
// state the player sends, so every call gets its real answer and error code synchronously. Each
// call that can change the record (Initialize, SetValue, Commit, Terminate...) is then replayed by
// message, in order, on the player's own API on the LMS origin, which commits with the learner's
// session and drives sequencing as before. Explicit origins both ways, never '*'.
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('launcher-config').textContent);
  const lms = config.lmsOrigin;
  const frame = document.getElementById('sco');
  const is12 = config.apiVersion === '1.2';
  const METHODS = is12
    ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
    : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  // Read-only calls are answered here only; the rest change state on both sides.
  const REPLAYED = is12 ? ['LMSInitialize', 'LMSFinish', 'LMSSetValue', 'LMSCommit'] : ['Initialize', 'Terminate', 'SetValue', 'Commit'];

  function tell(message) {
    window.parent.postMessage(message, lms);
  }

  /** Commits leave from the player (with the session); here they only have to succeed. */
  const localCommits = {
    processHttpRequest: function () { return { result: 'true', errorCode: 0 }; },
    updateSettings: function () {},
  };

  /** The API as the player built its own: same state, same engine state, same activity. */
  function buildApi(launch) {
    const settings = { lmsCommitUrl: false, autocommit: false, logLevel: 5, dataCommitFormat: 'json', httpService: localCommits };
    if (launch.sequencing) settings.sequencing = launch.sequencing.settings;
    const api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    try { api.loadFromJSON(launch.state || {}); } catch (e) { console.error('[launcher] preload refused', e); }
    if (launch.sequencing) {
      try {
        if (launch.sequencing.state) api.deserializeSequencingState(launch.sequencing.state);
        if (launch.sequencing.globalObjectives && Object.keys(launch.sequencing.globalObjectives).length) {
          api.restoreGlobalObjectiveSnapshot(launch.sequencing.globalObjectives);
        }
        // The delivered activity's launch data (objectives, shared data maps), as at delivery there.
        api.applyCurrentActivityLaunchData();
      } catch (e) { console.error('[launcher] sequencing state refused', e); }
    }
    return api;
  }

  // A commit the LMS refused after this API had said "true" (the player learns it only after the
  // replay), told to the SCO by its next Commit or Terminate: "false" with 391 General Commit
  // Failure (SCORM 1.2: 101 General Exception). The call still takes effect here and is replayed:
  // the player's API holds all the SCO sent, and its next accepted commit carries it (whole model).
  const COMMIT_FAILED = is12 ? 101 : 391;
  const SAVING = is12 ? ['LMSCommit', 'LMSFinish'] : ['Commit', 'Terminate'];
  const ERROR_READS = is12 ? ['LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic'] : ['GetLastError', 'GetErrorString', 'GetDiagnostic'];
  let refusedByServer = null; // the server's answer code, not yet told to the SCO
  let toldFailure = null; // what the SCO's error reads answer until its next other call

  function answerError(name, args) {
    if (name === ERROR_READS[0]) return String(COMMIT_FAILED);
    if (name === ERROR_READS[1]) return args[0] === String(COMMIT_FAILED) ? (is12 ? 'General Exception' : 'General Commit Failure') : null;
    return args[0] === '' || args[0] === String(COMMIT_FAILED) ? 'The LMS did not store the data (server answer ' + toldFailure + ')' : null;
  }

  /** What the SCO finds: the real answers, each state-changing call also sent to the player. */
  function exposeApi(api) {
    const facade = { version: api.version || (is12 ? '3.4' : '1.0') };
    METHODS.forEach(function (name) {
      const replayed = REPLAYED.indexOf(name) >= 0;
      facade[name] = function () {
        const args = Array.prototype.slice.call(arguments, 0, 2).map(function (a) { return a === undefined || a === null ? '' : String(a); });
        if (toldFailure !== null && ERROR_READS.indexOf(name) >= 0) {
          const told = answerError(name, args);
          if (told !== null) return told;
        }
        if (ERROR_READS.indexOf(name) < 0) toldFailure = null;
        const answer = api[name].apply(api, args);
        if (replayed) tell({ type: 'lms-launcher:call', method: name, args: args });
        if (refusedByServer !== null && SAVING.indexOf(name) >= 0 && String(answer) === 'true') {
          toldFailure = refusedByServer;
          refusedByServer = null;
          return 'false';
        }
        return answer;
      };
    });
    window[is12 ? 'API' : 'API_1484_11'] = facade;
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== lms || !event.data || typeof event.data.type !== 'string') return;
    if (event.data.type === 'lms-launcher:state' && !frame.src) {
      exposeApi(buildApi(event.data.launch || {}));
      frame.src = config.scoUrl;
    } else if (event.data.type === 'lms-launcher:commit-refused') {
      refusedByServer = typeof event.data.serverCode === 'number' ? event.data.serverCode : 0;
    } else if (event.data.type === 'lms-launcher:unload') {
      // Unload the SCO here, where its own unload code can still reach the API; its last calls
      // are posted before "unloaded", and the player handles messages in order.
      if (!frame.src || frame.src === 'about:blank') return tell({ type: 'lms-launcher:unloaded' });
      frame.addEventListener('load', function () { tell({ type: 'lms-launcher:unloaded' }); }, { once: true });
      frame.src = 'about:blank';
    }
  });
  tell({ type: 'lms-launcher:ready' });
})();
