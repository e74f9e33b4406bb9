// The sandbox's page script: the hosted checkout (/checkstand/), the pay_url page
// (/sandbox/checkout/<syssn>) and the /q/direct cashier. Values from requests are only ever
// set with textContent, and only http(s) URLs are followed.
(function () {
  'use strict';
  var body = document.body;
  var page = body.getAttribute('data-page') || '';

  function el(id) { return document.getElementById(id); }
  function setText(id, v) { var e = el(id); if (e) { e.textContent = v == null ? '' : String(v); } }
  function show(id, on) { var e = el(id); if (e) { e.hidden = !on; } }
  function safeUrl(u) {
    if (typeof u !== 'string' || u === '') { return null; }
    try {
      var x = new URL(u);
      return (x.protocol === 'http:' || x.protocol === 'https:') ? x.href : null;
    } catch (e) { return null; }
  }
  function post(url, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j || {} }; },
        function () { return { status: r.status, body: {} }; });
    });
  }
  function buttons(on) {
    ['pay', 'fail', 'cancel'].forEach(function (id) { var b = el(id); if (b) { b.disabled = !on; } });
  }
  var SAID = { succeeded: 'Paid.', failed: 'The payment failed.', cancelled: 'Cancelled.', pending: 'Waiting for payment.' };

  function act(syssn, action, extra) {
    buttons(false);
    setText('status', 'Working…');
    var data = { action: action };
    Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
    post('/sandbox/checkout/' + encodeURIComponent(syssn), data).then(function (res) {
      var b = res.body;
      if (!b.ok) {
        setText('status', b.error || ('Error ' + res.status));
        buttons(true);
        return;
      }
      var target = safeUrl(b.redirect);
      setText('status', (SAID[b.state] || b.state) + (target ? ' Redirecting…' : ''));
      setText('state', SAID[b.state] || b.state);
      show('actions', false);
      if (target) { window.location.assign(target); }
    }, function () {
      setText('status', 'The sandbox did not answer.');
      buttons(true);
    });
  }

  function wallet() {
    var c = document.querySelector('input[name="wallet"]:checked');
    return c ? c.value : 'wechat';
  }

  function wire(syssn, extra, withWallet) {
    var add = function (id, action) {
      var b = el(id);
      if (!b) { return; }
      b.addEventListener('click', function () {
        var e = {};
        Object.keys(extra).forEach(function (k) { e[k] = extra[k]; });
        if (withWallet && action === 'pay') { e.wallet = wallet(); }
        act(syssn, action, e);
      });
    };
    add('pay', 'pay');
    add('fail', 'fail');
    add('cancel', 'cancel');
    // The buttons come disabled: a click before this script has wired them would do nothing.
    buttons(true);
  }

  function linkQuery() {
    var h = window.location.hash || '';
    var i = h.indexOf('?');
    if (i >= 0) { return h.slice(i + 1); }
    var s = window.location.search || '';
    return s.length > 1 ? s.slice(1) : '';
  }

  if (page === 'checkstand') {
    post('/checkstand/session', { query: linkQuery() }).then(function (res) {
      var b = res.body;
      show('loading', false);
      if (!b.ok) {
        setText('error-code', b.error === '1251' ? 'Duplicate order (1251)' : (b.error || 'QFSign_Error'));
        setText('error-reason', b.reason || '');
        show('error', true);
        return;
      }
      var o = b.order || {};
      setText('amount', (o.currency || '') + ' ' + (o.amount || ''));
      setText('minor', '(' + o.txamt + ' minor units)');
      setText('goods', o.goods_name || '');
      setText('out-trade-no', o.out_trade_no || '');
      show('order', true);
      if (o.expired) {
        setText('state', 'This checkout has expired.');
        return;
      }
      if (o.state !== 'pending') {
        setText('state', SAID[o.state] || o.state);
        return;
      }
      setText('state', 'Choose how to pay.');
      show('actions', true);
      wire(o.syssn, {}, true);
    }, function () {
      show('loading', false);
      setText('error-code', 'Error');
      setText('error-reason', 'The sandbox did not answer.');
      show('error', true);
    });
  } else if (page === 'checkout') {
    wire(body.getAttribute('data-syssn') || '', {}, false);
  } else if (page === 'direct') {
    var syssn = body.getAttribute('data-syssn');
    if (syssn) {
      var r = safeUrl(body.getAttribute('data-redirect'));
      wire(syssn, r ? { redirect_url: r } : {}, false);
    }
  }
}());
