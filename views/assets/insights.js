// Trainer course page: the score histogram as a bar chart (Chart.js, served locally). The table
// under it carries the same numbers, so the page says everything without this script.
(function () {
  'use strict';
  var dataElement = document.getElementById('insights-data');
  var canvas = document.getElementById('chart-score-distribution');
  if (!dataElement || !canvas || typeof window.Chart !== 'function') return;
  var data = JSON.parse(dataElement.textContent || '{}');
  new window.Chart(canvas, {
    type: 'bar',
    data: { labels: data.labels, datasets: [{ label: data.axis, data: data.counts, backgroundColor: '#0b5cad' }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
  });
})();
