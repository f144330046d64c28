// The exam page: saves each answer to the server as it is given (PUT, with the CSRF header),
// shows the time left from the server's deadline, and submits the paper when time is up.
// The page holds no answer key: grading happens on the server after submission.
(function () {
  'use strict';
  var form = document.getElementById('exam-paper');
  if (!form) return;
  var data = JSON.parse(document.getElementById('exam-data').textContent);
  var words = JSON.parse(document.getElementById('exam-words').textContent);
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var action = form.getAttribute('action');
  var base = action.slice(0, action.indexOf('/learn/'));
  var resultUrl = action.replace(/\/submit$/, '');
  var status = document.getElementById('exam-save-status');
  var remaining = document.getElementById('exam-remaining');
  // The deadline is the server's: count down on the server's clock (the device's may be off).
  var skew = new Date(data.serverNow).getTime() - Date.now();
  var deadline = new Date(data.deadline).getTime() - skew;
  var pending = {};
  var inFlight = 0;
  var isClosed = false;

  function show(state, text) {
    status.setAttribute('data-state', state);
    status.textContent = text;
  }

  function chosen(questionEl) {
    var values = [];
    questionEl.querySelectorAll('input:checked').forEach(function (input) { values.push(input.value); });
    return values;
  }

  function closeAndShowResult() {
    if (isClosed) return;
    isClosed = true;
    show('refused', words.timeUp);
    window.location.assign(resultUrl);
  }

  function save(questionId, answer, attempt) {
    inFlight += 1;
    show('saving', words.saving);
    fetch(base + '/api/exam-attempts/' + data.attemptId + '/answers/' + questionId, {
      method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify({ answer: answer }),
    }).then(function (res) {
      inFlight -= 1;
      if (res.status === 409) return closeAndShowResult();
      if (!res.ok) throw new Error('HTTP ' + res.status);
      if (pending[questionId] === answer) delete pending[questionId];
      if (inFlight === 0) show('saved', words.saved);
    }).catch(function () {
      inFlight = Math.max(0, inFlight - 1);
      show('retrying', words.failed);
      // The newest answer wins: retry only if nothing newer was given meanwhile.
      setTimeout(function () { if (pending[questionId] === answer) save(questionId, answer, attempt + 1); }, Math.min(10000, 1000 * (attempt + 1)));
    });
  }

  form.addEventListener('change', function (event) {
    var questionEl = event.target.closest('.exam-question');
    if (!questionEl || isClosed) return;
    var id = questionEl.getAttribute('data-question');
    var answer = chosen(questionEl);
    pending[id] = answer;
    save(id, answer, 0);
  });

  form.addEventListener('submit', function () {
    isClosed = true;
    show('saving', words.submitted);
  });

  function tick() {
    var left = Math.max(0, deadline - Date.now());
    var minutes = Math.floor(left / 60000);
    var seconds = Math.floor((left % 60000) / 1000);
    remaining.textContent = words.left + ' ' + minutes + ':' + (seconds < 10 ? '0' : '') + seconds;
    if (left === 0 && !isClosed) {
      isClosed = true;
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
