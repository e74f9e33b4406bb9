// The sandbox dashboard (/sandbox/): hash routes #/orders, #/orders/<syssn>, #/requests,
// #/faults, #/merchants, refreshed by polling the control API about once a second. Text
// from requests is only ever set with textContent; only http(s) URLs become links.
(function () {
  'use strict';
  var PANELS = ['orders', 'order', 'requests', 'faults', 'merchants'];
  var last = {};
  var timer = null;

  function el(id) { return document.getElementById(id); }
  function make(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  // A table cell labelled for the phone layout; returns the element to fill.
  function cell(tr, label, text, cls) {
    var td = make('td', null, cls);
    td.setAttribute('data-label', label);
    var v = make('div', text, 'v');
    td.appendChild(v);
    tr.appendChild(td);
    return v;
  }
  function setText(id, v) { var e = el(id); if (e) { e.textContent = v == null ? '' : String(v); } }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function safeUrl(u) {
    if (typeof u !== 'string' || u === '') { return null; }
    try {
      var x = new URL(u, window.location.href);
      return (x.protocol === 'http:' || x.protocol === 'https:') ? x.href : null;
    } catch (e) { return null; }
  }
  function link(href, text) {
    var url = safeUrl(href);
    if (!url) { return make('span', text); }
    var a = make('a', text);
    a.href = url;
    return a;
  }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); });
  }
  function send(method, url, data) {
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: data == null ? undefined : JSON.stringify(data)
    }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j || {} }; },
        function () { return { status: r.status, body: {} }; });
    });
  }
  function changed(key, value) {
    var s = JSON.stringify(value);
    if (last[key] === s) { return false; }
    last[key] = s;
    return true;
  }
  function amount(o) {
    return (o.currency || '') + ' ' + (o.amount || '');
  }
  function payType(o) {
    if (!o.pay_type) { return '—'; }
    return o.pay_type_name ? o.pay_type_name + ' (' + o.pay_type + ')' : o.pay_type;
  }

  // Routing.
  function route() {
    var h = (window.location.hash || '').replace(/^#\/?/, '');
    var parts = h.split('/');
    if (parts[0] === 'orders' && parts[1]) { return { panel: 'order', syssn: decodeURIComponent(parts[1]) }; }
    if (PANELS.indexOf(parts[0]) >= 0 && parts[0] !== 'order') { return { panel: parts[0] }; }
    return { panel: 'orders' };
  }
  function show() {
    var r = route();
    PANELS.forEach(function (p) { el('panel-' + p).hidden = p !== r.panel; });
    ['orders', 'requests', 'faults', 'merchants'].forEach(function (p) {
      var a = el('nav-' + p);
      var on = p === r.panel || (p === 'orders' && r.panel === 'order');
      if (on) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
    });
    last = {};
    setText('order-status', '');
    refresh();
  }

  // Orders.
  function filtered(orders) {
    var st = el('f-state').value;
    var kind = el('f-kind').value;
    var text = el('f-text').value.trim().toLowerCase();
    return orders.filter(function (o) {
      if (st && o.state !== st) { return false; }
      if (kind && o.kind !== kind) { return false; }
      if (text) {
        var hay = [o.out_trade_no, o.syssn, o.goods_name, o.pay_type, o.pay_type_name, o.orig_syssn].join(' ').toLowerCase();
        if (hay.indexOf(text) < 0) { return false; }
      }
      return true;
    });
  }
  function renderOrders(data) {
    var rows = filtered(data.orders || []);
    if (!changed('orders', [rows, el('f-state').value, el('f-kind').value, el('f-text').value])) { return; }
    var body = el('orders-body');
    clear(body);
    rows.forEach(function (o) {
      var tr = make('tr');
      tr.setAttribute('data-syssn', o.syssn);
      cell(tr, 'Created', o.created);
      cell(tr, 'Kind', o.kind);
      cell(tr, 'State', null).appendChild(make('span', o.state, 'badge state-' + o.state));
      var am = cell(tr, 'Amount', null, 'num');
      am.appendChild(make('span', amount(o)));
      am.appendChild(make('small', ' (' + o.txamt + ' minor)'));
      cell(tr, 'Pay type', payType(o));
      var a = make('a', o.out_trade_no || o.syssn);
      a.href = '#/orders/' + encodeURIComponent(o.syssn);
      cell(tr, 'out_trade_no', null, 'mono').appendChild(a);
      cell(tr, 'syssn', o.syssn, 'mono');
      cell(tr, 'Goods', o.goods_name);
      body.appendChild(tr);
    });
    var n = (data.orders || []).length;
    setText('orders-count', rows.length === n ? n + (n === 1 ? ' order' : ' orders') : rows.length + ' of ' + n + ' orders');
  }

  // One order.
  var current = null;
  function field(dl, name, value, cls) {
    dl.appendChild(make('dt', name));
    var dd = make('dd', value, cls);
    dl.appendChild(dd);
    return dd;
  }
  function renderOrder(syssn, data, notes) {
    var all = data.orders || [];
    var o = all.filter(function (x) { return x.syssn === syssn; })[0];
    var refunds = all.filter(function (x) { return x.kind === 'refund' && x.orig_syssn === syssn; });
    var related = [syssn].concat(refunds.map(function (r) { return r.syssn; }));
    var mine = (notes.notifications || []).filter(function (n) { return related.indexOf(n.syssn) >= 0; });
    if (!changed('order', [o, refunds, mine])) { return; }
    current = o || null;
    el('order-missing').hidden = !!o;
    el('order-main').hidden = !o;
    ['act-pay', 'act-decline', 'act-expire'].forEach(function (id) { el(id).disabled = true; });
    if (!o) { setText('order-title', 'Order ' + syssn); return; }
    setText('order-title', (o.kind === 'refund' ? 'Refund ' : 'Payment ') + (o.out_trade_no || o.syssn));
    var dl = el('order-fields');
    clear(dl);
    var st = field(dl, 'State', null);
    st.appendChild(make('span', o.state, 'badge state-' + o.state));
    // The sandbox's own status, when it says more than the state (paid → succeeded...).
    if (o.status && o.status !== o.state) { st.appendChild(make('span', ' (' + o.status + ')')); }
    var am = field(dl, 'Amount', null);
    am.appendChild(make('strong', amount(o), 'amount'));
    am.appendChild(make('small', ' (' + o.txamt + ' minor units' + (o.exponent != null ? ', exponent ' + o.exponent : '') + ')'));
    field(dl, 'Pay type', payType(o));
    field(dl, 'Goods', o.goods_name, 'goods');
    if (o.note) { field(dl, 'Note', o.note, 'note'); }
    field(dl, 'out_trade_no', o.out_trade_no, 'mono');
    field(dl, 'syssn', o.syssn, 'mono');
    field(dl, 'App code', o.app_code, 'mono');
    field(dl, 'Created', o.created);
    if (o.paid) { field(dl, 'Paid', o.paid); }
    if (o.expires) { field(dl, 'Expires', o.expires); }
    if (o.kind === 'refund' && o.orig_syssn) {
      var orig = field(dl, 'Refund of', null);
      var a = make('a', o.orig_syssn);
      a.href = '#/orders/' + encodeURIComponent(o.orig_syssn);
      orig.appendChild(a);
    }
    if (o.kind === 'payment' && o.refunded) { field(dl, 'Refunded', o.refunded + ' minor units'); }
    if (o.notify_url) { field(dl, 'Notify URL', o.notify_url, 'mono'); }

    var box = el('qr-box');
    if (o.qrcode) {
      var img = el('qr');
      var src = '/sandbox/orders/' + encodeURIComponent(o.syssn) + '/qr.svg';
      if (img.getAttribute('src') !== src) { img.setAttribute('src', src); }
      img.alt = 'QR code the customer scans: ' + o.qrcode;
      setText('qr-text', o.qrcode);
      box.hidden = false;
    } else {
      box.hidden = true;
    }

    var pending = o.kind === 'payment' && o.status === 'pending';
    el('act-pay').disabled = !pending;
    el('act-decline').disabled = !pending;
    el('act-expire').disabled = !(pending && o.expires_in_seconds != null);

    var links = el('order-links');
    clear(links);
    if (o.checkout_url) {
      var li = make('li');
      li.appendChild(link(o.checkout_url, 'Checkout page (pay_url) for this order'));
      links.appendChild(li);
    }

    var rl = el('order-refunds');
    clear(rl);
    if (!refunds.length) { rl.appendChild(make('li', 'None.')); }
    refunds.forEach(function (r) {
      var li = make('li');
      var a = make('a', r.out_trade_no || r.syssn);
      a.href = '#/orders/' + encodeURIComponent(r.syssn);
      li.appendChild(a);
      li.appendChild(make('span', ': ' + amount(r) + ' (' + r.txamt + ' minor), ' + r.state + ', ' + r.created));
      rl.appendChild(li);
    });

    var nl = el('order-notifications');
    clear(nl);
    if (!mine.length) { nl.appendChild(make('p', 'None sent yet.')); }
    mine.forEach(function (n) {
      var art = make('article', null, 'note');
      art.appendChild(make('h3', n.notify_type + ' notification to ' + n.url + ': ' +
        (n.delivered ? 'delivered' : (n.finished ? 'gave up' : 'retrying'))));
      var ol = make('ol', null, 'attempts');
      (n.attempts || []).forEach(function (t) {
        var what = t.status != null ? 'HTTP ' + t.status + ' ' + JSON.stringify(t.response || '') : (t.error || 'no answer');
        ol.appendChild(make('li', 'Attempt ' + t.number + ' after ' + t.elapsed_ms + ' ms: ' + what + (t.ok ? ' (accepted)' : ' (not accepted)')));
      });
      if (!(n.attempts || []).length) { ol.appendChild(make('li', 'First attempt on its way.')); }
      art.appendChild(ol);
      art.appendChild(make('p', 'X-QF-SIGN: ' + n.signature, 'mono'));
      art.appendChild(make('pre', n.body));
      nl.appendChild(art);
    });

    el('order-raw').textContent = JSON.stringify({ order: o.record, refunds: refunds.map(function (r) { return r.record; }), notifications: mine }, null, 2);
  }
  function act(kind) {
    var o = current;
    if (!o) { return; }
    var call;
    if (kind === 'pay') {
      call = send('POST', '/sandbox/pay', { syssn: o.syssn });
    } else if (kind === 'decline') {
      call = send('POST', '/sandbox/checkout/' + encodeURIComponent(o.syssn), { action: 'fail' });
    } else {
      call = send('POST', '/sandbox/clock', { advance_seconds: o.expires_in_seconds || 1 });
    }
    setText('order-status', 'Working…');
    call.then(function (res) {
      if (res.status >= 400) {
        setText('order-status', res.body.error || ('Error ' + res.status));
        return;
      }
      setText('order-status', kind === 'pay' ? 'Paid as the customer; the notification is on its way.'
        : kind === 'decline' ? 'Declined: the payment failed.' : 'The clock moved past the expiry.');
      last = {};
      refresh();
    }, function () { setText('order-status', 'The sandbox did not answer.'); });
  }

  // Requests.
  function renderRequests(data) {
    if (!changed('requests', data)) { return; }
    var body = el('requests-body');
    clear(body);
    var list = (data.requests || []).slice().reverse();
    list.forEach(function (r) {
      var tr = make('tr');
      tr.setAttribute('data-seq', r.seq);
      cell(tr, '#', r.seq, 'num');
      cell(tr, 'Time', r.time);
      var req = cell(tr, 'Request', null);
      req.appendChild(make('code', r.method + ' ' + r.path));
      if (r.body) { req.appendChild(make('pre', r.body, 'small')); }
      cell(tr, 'App code', r.app_code, 'mono');
      cell(tr, 'Answer', (r.status === 0 ? 'dropped' : 'HTTP ' + r.status) + (r.respcd ? ' respcd ' + r.respcd : '') + (r.fault ? ' (fault: ' + r.fault + ')' : ''));
      var sig = cell(tr, 'Signature', null, 'sig');
      var s = r.signature;
      if (!s) {
        sig.appendChild(make('span', 'not checked', 'badge'));
      } else {
        sig.appendChild(make('span', s.verdict.replace(/_/g, ' '), 'badge verdict verdict-' + s.verdict));
        if (s.string_to_sign != null || s.verdict === 'missing') {
          var dl = make('dl', null, 'why');
          dl.appendChild(make('dt', 'Sandbox signed (' + (s.sign_type || 'MD5') + ')'));
          dl.appendChild(make('dd', s.string_to_sign || '', 'mono signed'));
          dl.appendChild(make('dt', 'Client sent'));
          dl.appendChild(make('dd', s.client_sign || '(no signature)', 'mono sent'));
          sig.appendChild(dl);
        }
      }
      body.appendChild(tr);
    });
    setText('requests-count', data.request_count + ' requests since start or reset' + (list.length < data.request_count ? ' (the last ' + list.length + ' kept)' : ''));
  }

  // Merchants.
  function renderMerchants(h) {
    setText('base-url', h.base_url);
    if (!changed('merchants', h.merchants)) { return; }
    var body = el('merchants-body');
    clear(body);
    (h.merchants || []).forEach(function (m) {
      var tr = make('tr');
      cell(tr, 'App code', m.app_code, 'mono');
      cell(tr, 'mchid', m.mchid == null ? '—' : m.mchid, 'mono');
      cell(tr, 'Notify URL', m.notify_url == null ? '—' : m.notify_url, 'mono');
      var td = cell(tr, 'Client key', null);
      var key = make('span', '••••••••••••', 'mono key');
      var b = make('button', 'Show', 'secondary small');
      b.type = 'button';
      b.setAttribute('aria-label', 'Show the client key of ' + m.app_code);
      b.addEventListener('click', function () {
        send('POST', '/sandbox/dashboard/key', { app_code: m.app_code }).then(function (res) {
          if (res.status === 200) {
            key.textContent = res.body.client_key;
            b.hidden = true;
          } else {
            key.textContent = res.body.error || ('Error ' + res.status);
          }
        });
      });
      td.appendChild(key);
      td.appendChild(document.createTextNode(' '));
      td.appendChild(b);
      body.appendChild(tr);
    });
  }

  function setClock(now) {
    setText('clock-now', now);
    setText('clock-now-2', now);
  }

  function refresh() {
    var r = route();
    var done = function () { schedule(); };
    var p;
    if (r.panel === 'orders') {
      p = getJson('/sandbox/dashboard/orders').then(function (d) { setClock(d.now); renderOrders(d); });
    } else if (r.panel === 'order') {
      p = Promise.all([getJson('/sandbox/dashboard/orders'), getJson('/sandbox/notifications')])
        .then(function (v) { setClock(v[0].now); renderOrder(r.syssn, v[0], v[1]); });
    } else if (r.panel === 'requests') {
      p = Promise.all([getJson('/sandbox/requests'), getJson('/sandbox/dashboard/orders')])
        .then(function (v) { setClock(v[1].now); renderRequests(v[0]); });
    } else if (r.panel === 'merchants') {
      p = Promise.all([getJson('/sandbox/health'), getJson('/sandbox/dashboard/orders')])
        .then(function (v) { setClock(v[1].now); renderMerchants(v[0]); });
    } else {
      p = getJson('/sandbox/dashboard/orders').then(function (d) { setClock(d.now); });
    }
    p.then(done, done);
  }
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 1000);
  }

  function faultsSaid(res, ok) {
    setText('faults-status', res.status >= 400 ? (res.body.error || ('Error ' + res.status)) : ok);
  }
  function int(id) { return parseInt(el(id).value, 10); }

  el('act-pay').addEventListener('click', function () { act('pay'); });
  el('act-decline').addEventListener('click', function () { act('decline'); });
  el('act-expire').addEventListener('click', function () { act('expire'); });
  ['f-state', 'f-kind'].forEach(function (id) { el(id).addEventListener('change', function () { refresh(); }); });
  el('f-text').addEventListener('input', function () { refresh(); });
  el('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  el('fault-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var kind = el('fault-kind').value;
    var data = { kind: kind, count: int('fault-count') };
    if (kind === 'delay') { data.ms = int('fault-ms'); }
    if (kind === 'http_status') { data.status = int('fault-status'); }
    send('POST', '/sandbox/faults', data).then(function (res) {
      faultsSaid(res, 'Queued: ' + res.body.kind + ' for the next ' + res.body.count + ' request(s).');
    });
  });
  el('fault-clear').addEventListener('click', function () {
    send('DELETE', '/sandbox/faults').then(function (res) { faultsSaid(res, 'Faults cleared.'); });
  });
  el('clock-form').addEventListener('submit', function (e) {
    e.preventDefault();
    send('POST', '/sandbox/clock', { advance_seconds: int('clock-seconds') }).then(function (res) {
      faultsSaid(res, 'Sandbox time is now ' + res.body.now + '.');
      if (res.body.now) { setClock(res.body.now); }
    });
  });
  el('reset').addEventListener('click', function () {
    send('POST', '/sandbox/reset').then(function (res) { faultsSaid(res, 'The sandbox was reset.'); last = {}; });
  });
  window.addEventListener('hashchange', function () {
    show();
    var h = document.querySelector('section:not([hidden]) h1');
    if (h) { h.setAttribute('tabindex', '-1'); h.focus(); }
  });
  show();
}());
