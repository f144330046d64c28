// hr dashboard: charts from the page's JSON (Chart.js, served locally) and a branch tree that
// loads one level at a time. Everything works without it: names link to each branch's page.
(function () {
  'use strict';
  var dataElement = document.getElementById('dashboard-data');
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent || '{}');
  var STATUS_COLOURS = {
    certified: '#1b6e3a', expiring: '#c98a00', expired: '#a4161a', overdue: '#e5383b',
    in_progress: '#0b5cad', failed: '#6a040f', not_started: '#8a94a3'
  };

  // Long course and branch names: broken into lines (at spaces, or every few characters for
  // Chinese), the box grown to fit them, the full name in the tooltip.
  function wrapLabel(text, narrow) {
    var hasSpaces = /\s/.test(text);
    var max = hasSpaces ? (narrow ? 16 : 24) : (narrow ? 8 : 12);
    var parts = hasSpaces ? text.split(/\s+/) : Array.from(text);
    var lines = [];
    var line = '';
    parts.forEach(function (part) {
      var next = line ? line + (hasSpaces ? ' ' : '') + part : part;
      if (next.length > max && line) {
        lines.push(line);
        line = part;
      } else {
        line = next;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  function sizedOptions(canvas, labels, extra) {
    var narrow = window.innerWidth < 600;
    var wrapped = labels.map(function (label) { return wrapLabel(String(label), narrow); });
    var lines = wrapped.reduce(function (sum, l) { return sum + Math.max(l.length, 1); }, 0);
    var box = canvas.parentElement;
    if (box) box.style.height = Math.max(220, lines * 19 + labels.length * 22 + 110) + 'px';
    var options = {
      indexAxis: 'y', responsive: true, maintainAspectRatio: false,
      plugins: { tooltip: { callbacks: { title: function (items) { return items.length ? labels[items[0].dataIndex] : ''; } } } }
    };
    Object.keys(extra).forEach(function (key) { options[key] = extra[key]; });
    options.plugins = Object.assign({}, options.plugins, extra.plugins || {});
    return { labels: wrapped, options: options };
  }

  function drawCharts() {
    if (typeof window.Chart !== 'function') return;
    var byBranch = document.getElementById('chart-by-branch');
    if (byBranch && data.byBranch) {
      var branchChart = sizedOptions(byBranch, data.byBranch.labels, {
        scales: { x: { min: 0, max: 100, title: { display: true, text: data.text.rateAxis } }, y: { ticks: { autoSkip: false } } }
      });
      new window.Chart(byBranch, {
        type: 'bar',
        data: {
          labels: branchChart.labels,
          datasets: [
            { label: data.text.enrolmentRate, data: data.byBranch.rates, backgroundColor: '#0b5cad' },
            { label: data.text.personRate, data: data.byBranch.personRates, backgroundColor: '#1b6e3a' }
          ]
        },
        options: branchChart.options
      });
    }
    var byCourse = document.getElementById('chart-by-course');
    if (byCourse && data.byCourse) {
      // Every course named: Chart.js would skip labels that do not fit, and the box grows instead.
      var courseChart = sizedOptions(byCourse, data.byCourse.labels, { scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } } });
      new window.Chart(byCourse, {
        type: 'bar',
        data: {
          labels: courseChart.labels,
          datasets: data.byCourse.series.map(function (s) {
            return { label: s.label, data: s.data, backgroundColor: STATUS_COLOURS[s.status] || '#555' };
          })
        },
        options: courseChart.options
      });
    }
  }

  var tree = document.getElementById('branch-tree');

  function label(template, name) {
    return template.replace('{name}', name);
  }

  function cell(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function removeDescendants(row) {
    var depth = Number(row.getAttribute('data-depth'));
    var next = row.nextElementSibling;
    while (next && Number(next.getAttribute('data-depth')) > depth) {
      var after = next.nextElementSibling;
      next.remove();
      next = after;
    }
  }

  function childRow(child, depth) {
    var row = document.createElement('tr');
    row.setAttribute('data-code', child.code);
    row.setAttribute('data-depth', String(depth));
    var head = document.createElement('th');
    head.setAttribute('scope', 'row');
    if (child.hasChildren) head.appendChild(toggleFor(child.code, child.name));
    var link = cell('a', child.name);
    link.href = tree.getAttribute('data-branch-base') + encodeURIComponent(child.code) + (data.asOf ? '?asOf=' + encodeURIComponent(data.asOf) : '');
    head.appendChild(link);
    head.appendChild(document.createTextNode(' '));
    var code = cell('small', child.code);
    code.className = 'muted';
    head.appendChild(code);
    row.appendChild(head);
    [child.headcount, child.rateText, child.personRateText, child.certified, child.expiring, child.expired, child.overdue].forEach(function (value) {
      row.appendChild(cell('td', String(value)));
    });
    return row;
  }

  function toggleFor(code, name) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'tree-toggle';
    button.setAttribute('data-code', code);
    button.setAttribute('data-name', name);
    setExpanded(button, false);
    return button;
  }

  function setExpanded(button, isExpanded) {
    var name = button.getAttribute('data-name');
    button.setAttribute('aria-expanded', String(isExpanded));
    button.textContent = isExpanded ? '−' : '+';
    button.setAttribute('aria-label', label(isExpanded ? data.text.collapse : data.text.expand, name));
    button.hidden = false;
  }

  function expand(button) {
    var row = button.closest('tr');
    var url = tree.getAttribute('data-children-base') + encodeURIComponent(button.getAttribute('data-code')) + '/children' +
      (data.asOf ? '?asOf=' + encodeURIComponent(data.asOf) : '');
    button.disabled = true;
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (body) {
        if (!body.children) throw new Error('not ready');
        var depth = Number(row.getAttribute('data-depth')) + 1;
        var anchor = row;
        body.children.forEach(function (child) {
          var added = childRow(child, depth);
          anchor.after(added);
          anchor = added;
        });
        setExpanded(button, true);
      })
      .catch(function () {
        button.setAttribute('aria-label', data.text.loadFailed);
        button.title = data.text.loadFailed;
      })
      .finally(function () { button.disabled = false; });
  }

  if (tree) {
    tree.querySelectorAll('.tree-toggle').forEach(function (button) { setExpanded(button, false); });
    tree.addEventListener('click', function (event) {
      var button = event.target.closest('.tree-toggle');
      if (!button) return;
      if (button.getAttribute('aria-expanded') === 'true') {
        removeDescendants(button.closest('tr'));
        setExpanded(button, false);
      } else {
        expand(button);
      }
    });
  }
  drawCharts();
})();
