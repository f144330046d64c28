// Uploads a SCORM zip with a progress bar through the JSON API; falls back to the plain form without JS.
(function () {
  const form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest) return;
  const progress = document.getElementById('upload-progress');
  const status = document.getElementById('upload-status');
  const problems = document.getElementById('upload-problems');

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.dataset.api);
    xhr.setRequestHeader('X-CSRF-Token', form.dataset.csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    progress.hidden = false;
    problems.hidden = true;
    problems.textContent = '';
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        progress.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = progress.value + '%';
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
      const error = body && body.error ? body.error : { message: 'HTTP ' + xhr.status, problems: [] };
      const heading = document.createElement('p');
      heading.textContent = error.message;
      problems.appendChild(heading);
      const list = document.createElement('ul');
      (error.problems || []).forEach(function (p) {
        const item = document.createElement('li');
        item.textContent = p.code + ': ' + p.message + (p.path ? ' — ' + p.path : '');
        list.appendChild(item);
      });
      problems.appendChild(list);
      problems.hidden = false;
      problems.focus();
    };
    xhr.onerror = function () {
      progress.hidden = true;
      status.textContent = 'Network error';
    };
    xhr.send(data);
  });
})();
