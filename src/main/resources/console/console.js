// The operations console: polls the admin API every 5 seconds and shows what is down and why.
// The admin token stays in this tab only (sessionStorage); nothing is sent anywhere else.
(function () {
  'use strict';
  const REFRESH_MS = 5000;
  const $ = (sel) => document.querySelector(sel);
  let token = sessionStorage.getItem('hcp.token') || '';
  let timer = null;

  function text(value) {
    return value === undefined || value === null ? '' : String(value);
  }

  function cell(tr, value, cls) {
    const td = document.createElement('td');
    td.textContent = text(value);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function fill(tableSel, rows, render) {
    const body = $(tableSel + ' tbody');
    body.replaceChildren();
    rows.forEach((row) => {
      const tr = document.createElement('tr');
      render(tr, row);
      body.appendChild(tr);
    });
  }

  async function api(method, path) {
    const res = await fetch(path, { method, headers: { Authorization: 'Bearer ' + token } });
    if (res.status === 404) return null;
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((body.title || res.status) + (body.detail ? ' — ' + body.detail : ''));
    return body;
  }

  function banner(state, message) {
    const b = $('#banner');
    b.className = 'banner ' + state;
    b.textContent = message;
  }

  async function refresh() {
    if (!token) return;
    try {
      const [overview, routes] = await Promise.all([api('GET', '/api/v1/admin/overview'), api('GET', '/api/v1/admin/routes')]);
      // Route checks are in the routes table; here only the ones that are down.
      const checks = Object.entries(overview.checks || {}).filter(([id, c]) => !id.startsWith('route:') || c.state !== 'UP');
      const down = checks.filter(([, c]) => c.state !== 'UP').map(([id]) => id);
      const stopped = (routes || []).filter((r) => r.status !== 'Started').map((r) => r.id);
      if (overview.ready && down.length === 0 && stopped.length === 0) {
        banner('up', '一切正常，可以接收评价 / All up: ratings are accepted');
      } else if (!overview.ready) {
        banner('down', '未就绪：无法持久化评价！/ NOT READY: ratings cannot be stored — ' + down.join(', '));
      } else {
        banner('down', '有故障 / Problems: ' + down.concat(stopped.map((id) => 'route ' + id)).join(', '));
      }
      fill('#health', checks, (tr, [id, c]) => {
        if (c.state !== 'UP') tr.className = 'down';
        cell(tr, id);
        cell(tr, c.state, 'state ' + c.state);
        cell(tr, c.message);
        cell(tr, Object.entries(c.details || {}).map(([k, v]) => k + '=' + v).join('  '), 'details');
      });
      fill('#routes', routes || [], (tr, r) => {
        if (r.status !== 'Started') tr.className = 'down';
        cell(tr, r.id);
        cell(tr, r.status, 'state ' + r.status);
        cell(tr, r.from, 'details');
        cell(tr, r.exchangesTotal);
        cell(tr, r.exchangesFailed);
        cell(tr, r.lastError, 'details');
        const td = cell(tr, '');
        if (!r.id.startsWith('admin-') && !r.id.startsWith('observe-')) {
          const suspended = r.status === 'Suspended';
          const b = document.createElement('button');
          b.textContent = suspended ? '恢复 Resume' : '暂停 Suspend';
          b.className = suspended ? '' : 'danger';
          b.setAttribute('aria-label', (suspended ? 'Resume ' : 'Suspend ') + r.id);
          b.onclick = () => act('POST', '/api/v1/admin/routes/' + encodeURIComponent(r.id) + (suspended ? '/resume' : '/suspend'));
          td.appendChild(b);
        }
      });
      fill('#channels', Object.entries(overview.ratingsToday || {}), (tr, [ch, n]) => { cell(tr, ch); cell(tr, n); });
      fill('#refused', overview.refusedSinceStart || [], (tr, r) => { cell(tr, r.channel); cell(tr, r.reason); cell(tr, r.count); });
      fill('#errors', overview.recentErrors || [], (tr, e) => { cell(tr, e.at); cell(tr, e.source); cell(tr, e.error); cell(tr, e.message, 'details'); });
      await optionalPanels();
      $('#refreshed').textContent = '更新于 Updated ' + new Date().toLocaleTimeString('zh-CN');
    } catch (e) {
      banner('down', '无法读取 / Cannot read the admin API: ' + e.message);
    }
  }

  // Panels of modules that may not be installed: shown when their endpoint answers.
  async function optionalPanels() {
    const dlq = await api('GET', '/api/v1/admin/dlq').catch(() => null);
    $('#dlq-panel').hidden = !dlq;
    if (dlq) {
      const box = $('#dlq');
      box.replaceChildren();
      for (const q of dlq) {
        const h = document.createElement('h3');
        h.textContent = q.queue + ' — ' + q.depth;
        box.appendChild(h);
        if (q.depth > 0) {
          const b = document.createElement('button');
          b.textContent = '全部重放 Replay all';
          b.setAttribute('aria-label', 'Replay all of ' + q.queue);
          b.onclick = () => act('POST', '/api/v1/admin/dlq/' + encodeURIComponent(q.queue) + '/replay');
          box.appendChild(b);
        }
      }
    }
    const devices = await api('GET', '/api/v1/admin/devices').catch(() => null);
    $('#devices-panel').hidden = !devices;
    if (devices) {
      fill('#devices', devices, (tr, d) => {
        if (!d.online) tr.className = 'down';
        cell(tr, d.deviceId); cell(tr, d.hallCode); cell(tr, d.windowNo);
        cell(tr, d.online ? '在线 online' : '离线 offline', 'state ' + Boolean(d.online)); cell(tr, d.lastSeenAt);
      });
    }
  }

  async function act(method, path) {
    try {
      await api(method, path);
    } catch (e) {
      alert(e.message);
    }
    refresh();
  }

  $('#login').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('#token').value.trim();
    sessionStorage.setItem('hcp.token', token);
    $('#token').value = '';
    start();
  });

  function start() {
    if (timer) clearInterval(timer);
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  if (token) start();
})();
