// The operations console: polls the admin API every 5 seconds and shows what is down and why.
// The admin token stays in this tab only (sessionStorage); nothing is sent anywhere else.
(function () {
  'use strict';
  const REFRESH_MS = 5000;
  const $ = (sel) => document.querySelector(sel);
  let token = sessionStorage.getItem('hcp.token') || '';
  let timer = null;
  let discarding = null; // the rating id whose discard reason is being typed
  const DLQ_SHOWN = 20;

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

  async function api(method, path, json) {
    const headers = { Authorization: 'Bearer ' + token };
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    if (res.status === 404) return null;
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((body.title || res.status) + (body.detail ? ' — ' + body.detail : ''));
    return body;
  }

  // A route is a problem when it is not running though its configuration says it should.
  function routeProblem(r) {
    return r.status !== 'Started' && !(r.status === 'Stopped' && r.autoStartup === false);
  }

  const STATES = { UP: '正常 UP', DOWN: '故障 DOWN', DEGRADED: '降级 DEGRADED', UNKNOWN: '未知 UNKNOWN' };
  function stateLabel(state) {
    return STATES[state] || state;
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
      const stopped = (routes || []).filter(routeProblem).map((r) => r.id);
      if (overview.ready && down.length === 0 && stopped.length === 0) {
        banner('up', '一切正常，可以接收评价 / All up: ratings are accepted');
      } else if (!overview.ready) {
        banner('down', '未就绪：无法持久化评价！/ NOT READY: ratings cannot be stored — ' + down.join(', '));
      } else {
        // Ready, but something needs a look: a far peer away (DEGRADED) or a route stopped.
        const why = checks.filter(([, c]) => c.state !== 'UP')
          .map(([id, c]) => id + ' ' + c.state + ((c.details || {}).reason ? ' (' + c.details.reason + ')' : ''));
        banner('down', '可以接收评价，但有故障 / Ratings accepted, but: ' + why.concat(stopped.map((id) => 'route ' + id)).join('; '));
      }
      fill('#health', checks, (tr, [id, c]) => {
        if (c.state !== 'UP') tr.className = 'down';
        tr.dataset.check = id;
        cell(tr, id);
        cell(tr, stateLabel(c.state), 'state ' + c.state);
        const msg = cell(tr, c.message);
        if ((c.details || {}).reason) {
          const why = document.createElement('div');
          why.className = 'reason';
          why.textContent = '原因 Reason: ' + c.details.reason;
          msg.appendChild(why);
        }
        cell(tr, Object.entries(c.details || {}).map(([k, v]) => k + '=' + v).join('  '), 'details');
      });
      fill('#routes', routes || [], (tr, r) => {
        if (routeProblem(r)) tr.className = 'down';
        tr.dataset.route = r.id;
        cell(tr, r.id);
        cell(tr, r.status === 'Stopped' && r.autoStartup === false ? 'Stopped（未配置 not configured）' : r.status,
          'state ' + (r.autoStartup === false && r.status === 'Stopped' ? 'off' : r.status));
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
    // While an operator types a discard reason the panel stays as it is.
    if (dlq && !discarding) {
      const pages = await Promise.all(dlq.map((q) => q.depth > 0
        ? api('GET', '/api/v1/admin/dlq/' + encodeURIComponent(q.queue) + '?limit=' + DLQ_SHOWN).catch(() => null) : null));
      const box = $('#dlq');
      box.replaceChildren();
      dlq.forEach((q, i) => box.appendChild(dlqQueue(q, pages[i])));
    }
    await integrityPanel();
    const devices = await api('GET', '/api/v1/admin/devices').catch(() => null);
    $('#devices-panel').hidden = !devices;
    if (devices) {
      // GET /api/v1/admin/devices answers {total, enabled, online, offline, devices: [...]}
      const list = Array.isArray(devices) ? devices : devices.devices || [];
      fill('#devices', list, (tr, d) => {
        if (d.enabled !== false && !d.online) tr.className = 'down';
        cell(tr, d.deviceId); cell(tr, d.hallCode); cell(tr, d.windowNo);
        cell(tr, d.enabled === false ? '停用 disabled' : d.online ? '在线 online' : '离线 offline', 'state ' + Boolean(d.online));
        cell(tr, d.lastSeenAt);
      });
    }
  }

  // Open integrity flags (docs/integrity.md): confirm or dismiss over the API with a reviewer note.
  async function integrityPanel() {
    const open = await api('GET', '/api/v1/integrity/flags?status=OPEN&limit=20').catch(() => null);
    $('#integrity-panel').hidden = !open;
    if (!open) return;
    $('#integrity-total').textContent = '共 ' + open.total + ' 个待复核 / ' + open.total + ' open'
      + (open.total > open.items.length ? '（仅显示最新 ' + open.items.length + ' 个 / newest ' + open.items.length + ' shown）' : '');
    fill('#integrity', open.items, (tr, f) => {
      cell(tr, f.reasonLabel + ' ' + f.reasonLabelEn);
      cell(tr, f.subjectKind + ' ' + f.subject);
      cell(tr, f.hallCode);
      cell(tr, f.ratingCount);
      cell(tr, f.detail + ' / ' + f.detailEn);
      cell(tr, f.lastRatedAt);
    });
  }

  // One queue: its depth, a replay-all button, and its oldest entries with their reason,
  // each with replay and discard (discard asks for the reason, which the audit log keeps).
  function dlqQueue(q, page) {
    const div = document.createElement('div');
    div.className = 'dlq-queue';
    div.dataset.queue = q.queue;
    const h = document.createElement('h3');
    h.textContent = q.queue + ' — ' + q.depth + ' 条 entries';
    div.appendChild(h);
    const base = '/api/v1/admin/dlq/' + encodeURIComponent(q.queue);
    if (q.depth === 0) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = '队列为空 / Empty';
      div.appendChild(p);
      return div;
    }
    const all = document.createElement('button');
    all.textContent = '全部重放 Replay all';
    all.setAttribute('aria-label', 'Replay all of ' + q.queue);
    all.onclick = () => act('POST', base + '/replay');
    div.appendChild(all);
    const entries = (page && page.entries) || [];
    if (entries.length === 0) return div;
    const table = document.createElement('table');
    table.className = 'dlq-entries';
    table.innerHTML = '<thead><tr><th>评价 Rating</th><th>办件 Case</th><th>状态 Status</th><th>代码 Code</th>'
      + '<th>原因 Reason</th><th>进入时间 Dead at</th><th>重放 Replays</th><th>操作 Action</th></tr></thead><tbody></tbody>';
    const body = table.querySelector('tbody');
    for (const e of entries) {
      const tr = document.createElement('tr');
      tr.dataset.ratingId = e.ratingId;
      cell(tr, e.ratingId, 'details');
      cell(tr, e.caseNo);
      cell(tr, e.status, 'state ' + e.status);
      cell(tr, e.code);
      cell(tr, e.message, 'details');
      cell(tr, e.deadAt);
      cell(tr, e.replays);
      const td = cell(tr, '');
      const replay = document.createElement('button');
      replay.textContent = '重放 Replay';
      replay.className = 'replay';
      replay.setAttribute('aria-label', 'Replay ' + e.ratingId);
      replay.onclick = () => act('POST', base + '/replay', { ratingIds: [e.ratingId] });
      const discard = document.createElement('button');
      discard.textContent = '丢弃 Discard';
      discard.className = 'danger discard';
      discard.setAttribute('aria-label', 'Discard ' + e.ratingId);
      discard.onclick = () => askDiscardReason(td, base, e.ratingId);
      td.append(replay, discard);
      body.appendChild(tr);
    }
    div.appendChild(table);
    if (page.total > entries.length) {
      const more = document.createElement('p');
      more.className = 'muted';
      more.textContent = '仅显示最早的 ' + entries.length + ' 条，共 ' + page.total + ' 条 / Oldest ' + entries.length + ' of ' + page.total;
      div.appendChild(more);
    }
    return div;
  }

  // The reason prompt of a discard, in the row: 4 to 500 characters, kept in the audit log.
  function askDiscardReason(td, base, ratingId) {
    discarding = ratingId;
    const form = document.createElement('form');
    form.className = 'discard-form';
    const input = document.createElement('input');
    input.name = 'reason';
    input.required = true;
    input.minLength = 4;
    input.maxLength = 500;
    input.placeholder = '丢弃原因（必填） Reason (required)';
    input.setAttribute('aria-label', 'Reason for discarding ' + ratingId);
    const ok = document.createElement('button');
    ok.type = 'submit';
    ok.className = 'danger';
    ok.textContent = '确认丢弃 Confirm discard';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = '取消 Cancel';
    cancel.onclick = () => { discarding = null; refresh(); };
    form.append(input, ok, cancel);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      discarding = null;
      act('POST', base + '/discard', { ratingIds: [ratingId], reason: input.value.trim() });
    });
    td.replaceChildren(form);
    input.focus();
  }

  async function act(method, path, json) {
    try {
      await api(method, path, json);
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
