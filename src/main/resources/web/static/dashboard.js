// Integrity Runner dashboard: the runs chart, the API token for the cancel button, and the
// cancel button's feedback. Served as a file (no inline script) so the CSP can forbid inline code.
(function () {
  'use strict';
  let chart = null;

  function renderChart() {
    const canvas = document.getElementById('runs-chart');
    const section = document.getElementById('runs');
    if (!canvas || !section || !window.Chart) {
      return;
    }
    let data;
    try {
      data = JSON.parse(section.dataset.chart || '{}');
    } catch (e) {
      return;
    }
    const labels = data.labels || [];
    const durations = data.durations || [];
    const issues = data.issues || [];
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets[0].data = durations;
      chart.data.datasets[1].data = issues;
      chart.update('none');
      return;
    }
    chart = new window.Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: 'bar', label: 'Duration (s)', data: durations, yAxisID: 'seconds' },
          { type: 'line', label: 'Open issues', data: issues, yAxisID: 'issues' }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
          seconds: { type: 'linear', position: 'left', beginAtZero: true,
                     title: { display: true, text: 'seconds' } },
          issues: { type: 'linear', position: 'right', beginAtZero: true,
                    grid: { drawOnChartArea: false }, title: { display: true, text: 'issues' } }
        }
      }
    });
  }

  // The token goes out as a bearer header only on API calls this page makes, never as a cookie.
  document.addEventListener('htmx:configRequest', function (evt) {
    const input = document.getElementById('api-token');
    if (input && input.value && evt.detail.path.indexOf('/api/') === 0) {
      evt.detail.headers['Authorization'] = 'Bearer ' + input.value;
    }
  });

  document.addEventListener('htmx:afterRequest', function (evt) {
    const elt = evt.detail.elt;
    if (!elt || elt.id !== 'cancel-run') {
      return;
    }
    const out = document.getElementById('cancel-result');
    const xhr = evt.detail.xhr;
    let text;
    try {
      const body = JSON.parse(xhr.responseText);
      text = body.error ? body.error.message : 'cancel ' + body.result;
    } catch (e) {
      text = 'cancel failed (HTTP ' + xhr.status + ')';
    }
    if (out) {
      out.textContent = text;
    }
    const summary = document.getElementById('run-summary');
    if (summary && window.htmx) {
      window.htmx.trigger(summary, 'refresh');
    }
  });

  document.addEventListener('htmx:afterSettle', renderChart);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', renderChart);
  } else {
    renderChart();
  }
})();
