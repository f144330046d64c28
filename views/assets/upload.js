// Uploads a SCORM zip with a progress bar through the JSON API; falls back to the plain form without JS.
// Every word shown comes from the page (data-text-*), in the reader's language; each refused
// problem arrives translated by the server (`text`, `where`), its English detail kept folded.
(function () {
  const form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest) return;
  const progress = document.getElementById('upload-progress');
  const status = document.getElementById('upload-status');
  const problems = document.getElementById('upload-problems');
  const text = form.dataset;

  function fill(template, vars) {
    return String(template).replace(/\{\{(\w+)\}\}/g, function (_, name) { return vars[name] === undefined ? '' : String(vars[name]); });
  }

  function showProblems(heading, list) {
    problems.textContent = '';
    const title = document.createElement('p');
    title.textContent = heading;
    problems.appendChild(title);
    const items = document.createElement('ul');
    items.className = 'ingest-problems';
    list.forEach(function (p) {
      const item = document.createElement('li');
      item.className = 'ingest-problem';
      item.dataset.code = p.code || '';
      item.appendChild(document.createTextNode(p.text || p.message || ''));
      if (p.where) {
        const where = document.createElement('span');
        where.className = 'where';
        where.appendChild(document.createTextNode(text.textWhere));
        const code = document.createElement('code');
        code.textContent = p.where;
        code.setAttribute('data-package-text', '');
        where.appendChild(code);
        item.appendChild(where);
      }
      if (p.message && p.text) {
        const detail = document.createElement('details');
        detail.className = 'detail';
        const summary = document.createElement('summary');
        summary.textContent = text.textDetail;
        const body = document.createElement('p');
        body.lang = 'en';
        body.setAttribute('data-package-text', '');
        body.textContent = p.message;
        detail.appendChild(summary);
        detail.appendChild(body);
        item.appendChild(detail);
      }
      items.appendChild(item);
    });
    if (list.length) problems.appendChild(items);
    problems.hidden = false;
    problems.focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.dataset.api);
    xhr.setRequestHeader('X-CSRF-Token', form.dataset.csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    progress.hidden = false;
    progress.value = 0;
    problems.hidden = true;
    problems.textContent = '';
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        progress.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = e.loaded >= e.total ? text.textProcessing : fill(text.textUploading, { percent: progress.value });
      }
    };
    xhr.onload = function () {
      let body;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 201 && body) {
        window.location.href = form.dataset.courseBase + encodeURIComponent(body.course.code) + '?uploaded=' + body.version.number;
        return;
      }
      progress.hidden = true;
      status.textContent = '';
      const error = body && body.error;
      if (error && error.text) return showProblems(error.text, error.problems || []);
      if (xhr.status === 401 || xhr.status === 403) return showProblems(text.textSession, []);
      showProblems(fill(text.textFailed, { status: xhr.status }), []);
    };
    xhr.onerror = function () {
      progress.hidden = true;
      status.textContent = '';
      showProblems(text.textNetwork, []);
    };
    xhr.send(data);
  });
})();
