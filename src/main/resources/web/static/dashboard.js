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
    const labels = (data.labels || []).map(shortTime);
    const ended = data.ended || [];
    const fail = data.fail || [];
    const warn = data.warn || [];
    const fresh = data.new || [];
    const acked = data.acknowledged || [];
    // A run that ended in error, timeout or was cancelled gets a red triangle above its bars (on the
    // axis when it has none), its own legend entry; a bar outline alone vanishes on an empty run.
    const marks = ended.map(function (status, i) {
      return status
        ? Math.max((fail[i] || 0) + (warn[i] || 0) + (acked[i] || 0), fresh[i] || 0)
        : null;
    });
    const sets = [fail, warn, fresh, acked, marks];
    if (chart) {
      chart.data.labels = labels;
      for (let i = 0; i < sets.length; i++) {
        chart.data.datasets[i].data = sets[i];
      }
      chart.$ended = ended;
      chart.update('none');
      return;
    }
    chart = new window.Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: 'bar', label: 'fail', data: sets[0], stack: 'open', order: 2, backgroundColor: '#e57373' },
          { type: 'bar', label: 'warn', data: sets[1], stack: 'open', order: 2, backgroundColor: '#ffcc66' },
          { type: 'line', label: 'new', data: sets[2], order: 1, stack: 'new', borderColor: '#1e60c8',
            backgroundColor: '#1e60c8' },
          // Acknowledged issues stack apart from the open fail and warn ones they are not part of.
          { type: 'bar', label: 'acknowledged', data: sets[3], stack: 'open', order: 2,
            backgroundColor: '#b8c2cc' },
          { type: 'line', label: 'ended in error, timeout or cancelled', data: sets[4], order: 0,
            stack: 'ended', showLine: false, pointStyle: 'triangle', pointRadius: 8,
            pointHoverRadius: 9, borderColor: '#b00020', backgroundColor: '#b00020' }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          // The legend in dataset order (Chart.js would sort by draw order, putting the marker first).
          legend: { labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                if (ctx.datasetIndex === 4) {
                  return 'ended: ' + (chart.$ended[ctx.dataIndex] || '');
                }
                return ctx.dataset.label + ': ' + ctx.formattedValue;
              }
            }
          }
        },
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 },
            title: { display: true, text: 'run created (' + zoneName() + ')' } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'issues' } }
        }
      }
    });
    chart.$ended = ended;
  }

  // The browser's zone by its IANA name ("Europe/Paris"); "UTC" when the browser will not say.
  function zoneName() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch (e) {
      return 'UTC';
    }
  }

  function parts(iso, options) {
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return null;
    }
    const out = {};
    new Intl.DateTimeFormat('en-GB', Object.assign({ hourCycle: 'h23' }, options))
      .formatToParts(d).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }

  // "2025-03-01 11:00 CET": the browser's zone, named, so no time on the page is ambiguous.
  function localTime(iso) {
    const p = parts(iso, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', timeZoneName: 'short' });
    return p ? p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + p.timeZoneName : iso;
  }

  // The chart's x labels: "03-01 11:00"; the axis title names the zone.
  function shortTime(iso) {
    const p = parts(iso, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    return p ? p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute : iso;
  }

  // Times arrive as ISO-8601 UTC in <time datetime>; show them in the browser's zone, and keep the
  // ISO text as the tooltip.
  function localTimes(root) {
    const times = (root || document).querySelectorAll('time[datetime]:not([data-zone])');
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
    const zone = document.getElementById('browser-zone');
    if (zone) {
      zone.textContent = 'Times in ' + zoneName() + ' (this browser\'s zone)';
    }
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
