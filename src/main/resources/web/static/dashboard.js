// Integrity Runner dashboard: the runs chart, times in the browser's zone, the API token for the
// cancel and "Run now" buttons, and their feedback. Served as a file (no inline script) so the CSP
// can forbid inline code.
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
    const labels = (data.labels || []).map(localTime);
    const troubled = data.troubled || [];
    // A run that ended in error or timeout gets a red outline on its bars.
    const outline = troubled.map(function (t) { return t ? '#c00' : 'rgba(0,0,0,0)'; });
    const sets = [data.fail || [], data.warn || [], data.new || [], data.acknowledged || []];
    if (chart) {
      chart.data.labels = labels;
      for (let i = 0; i < sets.length; i++) {
        chart.data.datasets[i].data = sets[i];
      }
      chart.data.datasets[0].borderColor = outline;
      chart.data.datasets[1].borderColor = outline;
      chart.data.datasets[3].borderColor = outline;
      chart.update('none');
      return;
    }
    chart = new window.Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: 'bar', label: 'fail', data: sets[0], stack: 'open', order: 2, backgroundColor: '#e57373',
            borderColor: outline, borderWidth: 2 },
          { type: 'bar', label: 'warn', data: sets[1], stack: 'open', order: 2, backgroundColor: '#ffcc66',
            borderColor: outline, borderWidth: 2 },
          { type: 'line', label: 'new', data: sets[2], order: 1, stack: 'new', borderColor: '#1e60c8',
            backgroundColor: '#1e60c8' },
          // Acknowledged issues stack apart from the open fail and warn ones they are not part of.
          { type: 'bar', label: 'acknowledged', data: sets[3], stack: 'open', order: 2,
            backgroundColor: '#b8c2cc', borderColor: outline, borderWidth: 2 }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'issues' } }
        }
      }
    });
  }

  function localTime(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  // Times arrive as ISO-8601 UTC in <time datetime>; show them in the browser's zone, and keep the
  // ISO text as the tooltip.
  function localTimes(root) {
    const times = (root || document).querySelectorAll('time[datetime]');
    for (let i = 0; i < times.length; i++) {
      const el = times[i];
      if (el.dataset.local === '1') {
        continue;
      }
      el.title = el.getAttribute('datetime');
      el.textContent = localTime(el.getAttribute('datetime'));
      el.dataset.local = '1';
    }
  }

  function apiHeaders() {
    const headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    const input = document.getElementById('api-token');
    if (input && input.value) {
      headers['Authorization'] = 'Bearer ' + input.value;
    }
    return headers;
  }

  // "Run now": POST /api/runs naming the base, with the token like the cancel button.
  document.addEventListener('click', function (evt) {
    const button = evt.target.closest ? evt.target.closest('button.run-now') : null;
    if (!button) {
      return;
    }
    const out = document.getElementById('run-now-result');
    button.disabled = true;
    fetch('/api/runs', {
      method: 'POST',
      headers: apiHeaders(),
      body: JSON.stringify({ base: button.dataset.base })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (out) {
          out.textContent = body.error ? body.error.message : 'started run ' + body.id;
        }
        const runs = document.getElementById('runs');
        if (!body.error && runs && window.htmx) {
          window.htmx.trigger(runs, 'refresh');
        }
      });
    }).catch(function () {
      if (out) {
        out.textContent = 'run now failed';
      }
    }).finally(function () {
      button.disabled = false;
    });
  });

  // The token goes out as a bearer header only on API calls and the dashboard's own actions
  // (acknowledge, revoke: posts) this page makes, never as a cookie.
  document.addEventListener('htmx:configRequest', function (evt) {
    const input = document.getElementById('api-token');
    if (input && input.value
        && (evt.detail.path.indexOf('/api/') === 0 || evt.detail.verb !== 'get')) {
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

  // An acknowledge or revoke form that failed (bad input, no token): the server's message next to
  // the form, as text. On success htmx has swapped the page's main part for the new one.
  document.addEventListener('htmx:afterRequest', function (evt) {
    const elt = evt.detail.elt;
    if (!elt || !elt.matches || !elt.matches('form.ack') || evt.detail.successful) {
      return;
    }
    const xhr = evt.detail.xhr;
    let text;
    try {
      const body = JSON.parse(xhr.responseText);
      text = body.error ? body.error.message : null;
    } catch (e) {
      text = null;
    }
    const out = elt.querySelector('.ack-error');
    if (out) {
      out.textContent = text || ('failed (HTTP ' + xhr.status + ')');
    }
  });

  function refresh() {
    localTimes(document);
    renderChart();
  }

  document.addEventListener('htmx:afterSettle', refresh);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', refresh);
  } else {
    refresh();
  }
})();
