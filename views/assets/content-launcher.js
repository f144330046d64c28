// Runs on the CONTENT origin, between the player (LMS origin, its parent) and the SCO (a nested
// frame on this origin). It gives the SCO a SCORM API in its parent window, as SCORM requires:
// scorm-again's CrossFrameAPI, which answers synchronously from a cache and forwards every call
// to the player by postMessage (explicit origins only). The cache is filled with the launch
// state before the SCO loads, so GetValue right after Initialize returns the stored values.
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('launcher-config').textContent);
  const lms = config.lmsOrigin;
  const frame = document.getElementById('sco');
  const is12 = config.apiVersion === '1.2';
  // A commit is a synchronous request inside the player: give it time before calling it lost.
  const remote = new window.CrossFrameAPI(lms, window.parent, { timeout: 30000 });
  // CrossFrameAPI has no public way to pre-fill its cache; its own Map is the one it reads.
  const cache = remote._cache;

  /**
   * `x._count` from what the cache holds: CrossFrameAPI refreshes values after each call, but a
   * collection grows by SetValue("x.<n>.id") before the LMS's count comes back.
   */
  function countOf(element) {
    const prefix = element.slice(0, -'_count'.length);
    let count = Number(cache.get(element)) || 0;
    cache.forEach(function (_value, key) {
      if (typeof key !== 'string' || key.indexOf(prefix) !== 0) return;
      const index = /^(\d+)\./.exec(key.slice(prefix.length));
      if (index) count = Math.max(count, Number(index[1]) + 1);
    });
    return String(count);
  }

  function call(method) {
    return function () {
      const args = Array.prototype.slice.call(arguments);
      if (/GetValue$/.test(method) && typeof args[0] === 'string' && /\._count$/.test(args[0])) {
        remote[method].apply(remote, args); // keeps the LMS's view and lastError in step
        return countOf(args[0]);
      }
      return remote[method].apply(remote, args);
    };
  }

  const methods = is12
    ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
    : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  const api = {};
  methods.forEach(function (name) { api[name] = call(name); });
  window[is12 ? 'API' : 'API_1484_11'] = api;

  function tell(type) {
    window.parent.postMessage({ type: type }, lms);
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== lms || !event.data || typeof event.data.type !== 'string') return;
    if (event.data.type === 'lms-launcher:state' && !frame.src) {
      const values = event.data.values || {};
      Object.keys(values).forEach(function (key) {
        if (typeof values[key] === 'string') cache.set(key, values[key]);
      });
      frame.src = config.scoUrl;
    } else if (event.data.type === 'lms-launcher:unload') {
      // Unload the SCO here, where its own unload code can still reach the API; its last calls
      // are posted before "unloaded", and the player handles messages in order.
      if (!frame.src || frame.src === 'about:blank') return tell('lms-launcher:unloaded');
      frame.addEventListener('load', function () { tell('lms-launcher:unloaded'); }, { once: true });
      frame.src = 'about:blank';
    }
  });
  tell('lms-launcher:ready');
})();
