'use strict'
// The public surface (issue 10): tests/surface.json against this binding, by introspection
// (exports, prototypes, real results from the sandbox, error classes) and against the names
// lib/index.d.ts and the generated lib/surface.d.ts declare (read with the TypeScript compiler API).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ts = require('typescript')
const { qfpay, rejection } = require('./helpers.js')

// QFPAY_SURFACE_JSON: another copy of the surface (one just generated, before it is committed).
const SURFACE_JSON = process.env.QFPAY_SURFACE_JSON || path.resolve(__dirname, '..', '..', 'tests', 'surface.json')
const SURFACE = JSON.parse(fs.readFileSync(SURFACE_JSON, 'utf8'))
const NODE = (SURFACE.binding_names && SURFACE.binding_names.node) || {}
const DURATIONS = new Set(['timeout', 'connect_timeout', 'reconcile_timeout', 'retry_base_delay', 'retry_max_delay', 'interval', 'max_interval', 'slow_response', 'min_interval', 'pending_after'])
const JS_FIELD = { txamt: 'amount', txcurrcd: 'currency' }

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const upperCamel = (name) => camel(name).replace(/^./, (c) => c.toUpperCase())
/** An option's JavaScript name (durations in milliseconds). */
const option = (name) => (DURATIONS.has(name) ? camel(name) + 'Ms' : camel(JS_FIELD[name] || name))
/** A member's JavaScript name: the binding's recorded difference, else lowerCamelCase. */
const member = (name) => NODE[name] || camel(name)
/** Error fields that are durations: milliseconds in Node, named like the options (suffix Ms). */
const DURATION_FIELDS = new Set(['retry_after'])
const errorField = (name) => (DURATION_FIELDS.has(name) ? camel(name) + 'Ms' : member(name))

// The .d.ts files: the hand-written lib/index.d.ts and the generated lib/surface.d.ts it
// re-exports, and their text.
const DTS = ['index.d.ts', 'surface.d.ts'].map((f) => path.resolve(__dirname, '..', 'lib', f))
const DTS_TEXT = DTS.map((f) => fs.readFileSync(f, 'utf8')).join('\n')

// Names the .d.ts files declare: top-level exports, and members per interface/class.
function declared () {
  const exports = new Set()
  const members = {}
  for (const file of DTS) collectFrom(ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true), exports, members)
  // Inherited members (interfaces extending interfaces, classes extending classes).
  const all = (owner, seen = new Set()) => {
    if (!members[owner] || seen.has(owner)) return new Set()
    seen.add(owner)
    const out = new Set(members[owner])
    for (const base of members[owner].extends || []) for (const n of all(base.replace(/<.*/, ''), seen)) out.add(n)
    return out
  }
  return { exports, members: (owner) => all(owner) }
}

function collectFrom (source, exports, members) {
  const collect = (owner, list) => {
    members[owner] = members[owner] || new Set()
    for (const m of list) if (m.name) members[owner].add(m.name.getText(source))
  }
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st)) {
      exports.add(st.name.text)
      collect(st.name.text, st.members)
      for (const h of st.heritageClauses || []) {
        for (const t of h.types) {
          const base = t.expression.getText(source)
          members[st.name.text].extends = [...(members[st.name.text].extends || []), base]
        }
      }
    } else if (ts.isTypeAliasDeclaration(st)) {
      exports.add(st.name.text)
    } else if (ts.isFunctionDeclaration(st)) {
      exports.add(st.name.text)
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        exports.add(d.name.getText(source))
        if (d.type && ts.isTypeLiteralNode(d.type)) collect(d.name.getText(source), d.type.members)
      }
    }
  }
}

const D = declared()

// Values of the right type for an option, to show it is accepted (not refused as unknown).
function sample (name) {
  if (DURATIONS.has(name)) return 1000
  return {
    max_retries: 1, utc_offset_seconds: 28800, environment: 'live_test', sign_type: 'md5', proxy: 'none',
    base_url: 'http://127.0.0.1:9', app_code: 'A', client_key: 'K', mchid: 'M'
  }[name] ?? 'x'
}

describe('surface.json', () => {
  let sandbox, client
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0 })
  })
  after(() => sandbox.stop())

  it('client: constructors, options, properties', () => {
    assert.equal(typeof qfpay.Client, 'function')
    assert.equal(typeof qfpay.Client.fromEnv, 'function')
    assert.ok(D.members('Client').has('fromEnv'))
    for (const name of SURFACE.client.options) {
      const opts = { appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', [option(name)]: sample(name) }
      if (name === 'environment') delete opts.baseUrl
      assert.doesNotThrow(() => new qfpay.Client(opts), `option ${option(name)}`)
      assert.ok(D.members('ClientOptions').has(option(name)), `ClientOptions.${option(name)} in the .d.ts`)
    }
    for (const env of SURFACE.client.environments) {
      assert.doesNotThrow(() => new qfpay.Client({ appCode: 'A', clientKey: 'K', environment: env }), env)
    }
    for (const env of SURFACE.client.refused_environment_names) {
      assert.throws(() => new qfpay.Client({ appCode: 'A', clientKey: 'K', environment: env }), (e) => e instanceof qfpay.ConfigError && /use|instead/i.test(e.message), env)
    }
    const c = new qfpay.Client({ appCode: 'APP', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', mchid: 'M1' })
    for (const name of SURFACE.client.properties) {
      const js = member(name)
      assert.ok(js in qfpay.Client.prototype, `Client.prototype.${js}`)
      assert.ok(D.members('Client').has(js), `Client.${js} in the .d.ts`)
    }
    assert.equal(c.appCode, 'APP')
    assert.equal(c.mchid, 'M1')
  })

  it('call options', async () => {
    for (const name of SURFACE.call_options) {
      assert.ok(D.members('CallOptions').has(option(name)), option(name))
      const e = await rejection(client.query({}, { [option(name)]: 'wrong' }))
      assert.doesNotMatch(e.message, /is not an option/, option(name))
    }
  })

  it('operations: methods, options, declarations', async () => {
    for (const [name, spec] of Object.entries(SURFACE.operations)) {
      const js = member(name)
      assert.equal(typeof qfpay.Client.prototype[js], 'function', `Client.prototype.${js}`)
      assert.ok(D.members('Client').has(js), `Client.${js} in the .d.ts`)
      const requestType = {
        create_payment: 'PaymentRequest', wechat_qr: 'WechatQrRequest', query: 'QueryRequest', query_pages: 'QueryRequest', refund: 'RefundRequest', close: 'CancelRequest', reverse: 'CancelRequest', wait_for_payment: 'WaitOptions',
        checkout_url: 'CheckoutRequest', wechat_oauth_url: 'WechatOauthUrlRequest', get_wechat_openid: 'WechatOpenidRequest', cashier_url: 'CashierRequest',
        transactions: 'TransactionsRequest', reconcile: 'ReconcileRequest', settlements: 'SettlementsRequest'
      }[name]
      // An operation that sends nothing is synchronous: its declaration returns no Promise; one
      // returning a stream (`list<...>`) returns an async iterator: of pages (`list<QueryPage>`)
      // or of the items (`list<Transaction>`: `Transactions`).
      const decl = new RegExp(`^  ${js}\\(.*\\): (.*)$`, 'm').exec(DTS_TEXT)
      const stream = /^list<(.*)>$/.exec(spec.returns)
      if (stream) {
        assert.equal(decl[1], stream[1] === 'QueryPage' ? 'QueryPages' : `${stream[1]}s`, `${js} returns ${decl[1]}`)
        assert.ok(D.exports.has(decl[1]), `${decl[1]} in the .d.ts`)
      } else {
        assert.equal(/^Promise</.test(decl[1]), spec.io, `${js} returns ${decl[1]}`)
      }
      if (!requestType) continue
      for (const field of [...spec.args, ...spec.options]) {
        if (name === 'wait_for_payment' && field === 'out_trade_no') continue
        assert.ok(D.members(requestType).has(option(field)), `${requestType}.${option(field)} in the .d.ts`)
      }
    }
    // Every option is read (not refused as unknown): a wrong type names the field instead.
    for (const [name, spec] of Object.entries(SURFACE.operations)) {
      if (['query_pages', 'find_payment'].includes(name)) continue
      for (const field of spec.options) {
        const js = option(field)
        const bad = { [js]: field === 'extend_info' ? 42 : { wrong: true } }
        const p = {
          create_payment: () => client.createPayment({ amount: 1, currency: 'HKD', payType: '800201', ...bad }),
          wechat_qr: () => client.wechatQr({ amount: 1, ...bad }),
          query: () => client.query(bad),
          refund: () => client.refund({ syssn: 'S', amount: 1, currency: 'HKD', ...bad }),
          close: () => client.close({ syssn: 'S', amount: 1, currency: 'HKD', ...bad }),
          reverse: () => client.reverse({ syssn: 'S', amount: 1, currency: 'HKD', ...bad }),
          wait_for_payment: () => client.waitForPayment('qfX', bad),
          checkout_url: () => client.checkoutUrl({ amount: 1, currency: 'HKD', returnUrl: 'https://a/r', failedUrl: 'https://a/f', notifyUrl: 'https://a/n', ...bad }),
          wechat_oauth_url: () => client.wechatOauthUrl({ redirectUri: 'https://a/r', ...bad }),
          get_wechat_openid: () => client.getWechatOpenid({ code: 'c', ...bad }),
          cashier_url: () => client.cashierUrl({ amount: 1, currency: 'HKD', payParams: {}, mchntnm: 'M', redirectUrl: 'https://a/r', ...bad }),
          transactions: () => client.transactions({ startTime: '2024-01-01 00:00:00', endTime: '2024-01-31 23:59:59', ...bad }),
          reconcile: () => client.reconcile({ ledger: 'out_trade_no,amount,currency\n', startTime: '2024-01-01 00:00:00', endTime: '2024-01-31 23:59:59', ...bad }),
          settlements: () => client.settlements({ dateStart: '20240101', dateEnd: '20240102', ...bad })
        }[name]
        assert.equal(typeof p, 'function', `a call of ${name} with a wrong ${js}`)
        const e = await rejection(Promise.resolve().then(p))
        assert.doesNotMatch(e.message, /is not an option/, `${name}.${js}`)
      }
    }
    // Local operations return at once (no Promise), also given a request object.
    const link = client.checkoutUrl({ amount: 1, currency: 'HKD', returnUrl: 'https://a/r', failedUrl: 'https://a/f', notifyUrl: 'https://a/n' })
    assert.equal(typeof link.url, 'string')
    assert.equal(client.verifyCheckoutUrl(link.url).sign, link.sign)
    assert.equal(typeof client.wechatOauthUrl('https://a/r'), 'string')
    assert.match(DTS_TEXT,
      new RegExp(`default ${SURFACE.operations.wait_for_payment.defaults.timeout_seconds} 000 ms`), 'the wait default is documented')
  })

  it('results: keys of real results from the sandbox', async () => {
    const p = await client.wechatQr({ amount: 300, notifyUrl: 'http://127.0.0.1:9/n' })
    sandbox.pay(p.outTradeNo)
    const t = await client.findPayment(p.outTradeNo)
    const page = await client.query({ outTradeNo: p.outTradeNo })
    const r = await client.refund({ syssn: p.syssn, amount: 100, currency: 'HKD' })
    const open = await client.wechatQr({ amount: 200 })
    const c = await client.close({ outTradeNo: open.outTradeNo, amount: 200, currency: 'HKD' })
    const body = JSON.stringify({ notify_type: 'payment', status: '1', syssn: p.syssn, out_trade_no: p.outTradeNo, txamt: '300', txcurrcd: 'HKD', pay_type: '800201', respcd: '0000', cancel: '0', txdtm: '', sysdtm: '', paydtm: '' })
    const n = qfpay.verifyNotification(body, qfpay.notificationSignature(body, sandbox.clientKey), sandbox.clientKey)
    // The online payment results: a checkout link, and each pay type's parameters.
    const checkoutLink = client.checkoutUrl({ amount: 300, currency: 'HKD', returnUrl: 'https://a/r', failedUrl: 'https://a/f', notifyUrl: 'https://a/n' })
    const jsapi = await client.createPayment({ amount: 300, currency: 'HKD', payType: '800207', subOpenid: 'oOPENID' })
    const app = await client.createPayment({ amount: 300, currency: 'HKD', payType: '800210' })
    const alipay = await client.createPayment({ amount: 300, currency: 'HKD', payType: '801110', sellerId: '2088000000000000', goodsName: 'Tea', returnUrl: 'https://a/r' })
    // Reconciliation's results: a report with a discrepancy and a net total, a trade bill and
    // the legacy settlements, from today's payments.
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    const report = await client.reconcile({ ledger: [{ outTradeNo: 'ONLY-IN-LEDGER', amount: 1, currency: 'HKD' }], startTime: `${today} 00:00:00`, endTime: `${today} 23:59:59`, minIntervalMs: 0 })
    const bill = await client.downloadTradeBill(today)
    const settlements = await client.settlements({ dateStart: today.replaceAll('-', ''), dateEnd: today.replaceAll('-', '') })
    const note = await client.addNote({ syssn: p.syssn, note: 'a note' })
    const results = {
      Payment: p, Transaction: t, QueryPage: page, Refund: r, Cancellation: c, Notification: n, CheckoutLink: checkoutLink,
      WechatPayParams: jsapi.wechatPayParams, WechatAppParams: app.wechatAppParams, AlipayPayParams: alipay.alipayPayParams,
      ReconcileReport: report, Discrepancy: report.discrepancies[0], NetTotal: report.net[0],
      TradeBill: bill, TradeBillEntry: bill.entries[0], Settlements: settlements, Settlement: settlements.data[0],
      NoteAdded: note
    }
    for (const [type, fields] of Object.entries(SURFACE.results)) {
      assert.ok(results[type], `a real ${type}`)
      const declaredFields = D.members(type)
      for (const f of fields) {
        const js = member(f)
        assert.ok(declaredFields.has(js), `${type}.${js} in the .d.ts`)
        const optional = new RegExp(`\\b${js}\\?:`).test(DTS_TEXT)
        if (!optional) assert.ok(js in results[type], `${type}.${js} in a real result`)
      }
      // One name per concept: a real result has no field beyond the surface's (no alias such
      // as `paid` beside `isPaid`).
      const names = new Set(fields.map(member))
      const records = type === 'QueryPage' ? [results[type], ...results[type].data] : [results[type]]
      for (const rec of records) {
        const owner = rec === results[type] ? type : 'Transaction'
        const allowed = owner === type ? names : new Set(SURFACE.results.Transaction.map(member))
        for (const k of Object.keys(rec)) assert.ok(allowed.has(k), `${owner}.${k} is not in surface.json`)
      }
    }
    const declaredOnly = D.members('Transaction')
    for (const k of declaredOnly) assert.ok(SURFACE.results.Transaction.map(member).includes(k), `Transaction.${k} in the .d.ts is not in surface.json`)
    for (const k of D.members('Notification')) assert.ok(SURFACE.results.Notification.map(member).includes(k), `Notification.${k} in the .d.ts is not in surface.json`)
  })

  it('errors: codes, classes and fields', async () => {
    assert.deepEqual(new Set(Object.keys(qfpay.ERROR_CLASSES)), new Set(SURFACE.errors.codes))
    const fieldsDeclared = new Set()
    for (const code of SURFACE.errors.codes) {
      const Cls = qfpay.ERROR_CLASSES[code]
      assert.ok(Cls.prototype instanceof qfpay.QfPayError || Cls === qfpay.QfPayError, code)
      assert.ok(D.exports.has(Cls.name), `${Cls.name} in the .d.ts`)
      for (const f of D.members(Cls.name)) fieldsDeclared.add(f)
    }
    for (const f of SURFACE.errors.fields) {
      const js = errorField(f)
      if (js === 'message') continue // Error's own
      assert.ok(fieldsDeclared.has(js), `error field ${js} declared on some error class`)
    }
    // At run time: a declined payment names its order.
    const e = await rejection(client.wechatQr({ amount: 1003 }))
    assert.equal(e.code, 'declined')
    assert.equal(typeof e.outTradeNo, 'string')
  })

  it('functions and constants', () => {
    for (const name of SURFACE.functions) {
      const js = NODE[name] || camel(name)
      const fn = js.split('.').reduce((o, k) => o && o[k], qfpay)
      assert.equal(typeof fn, 'function', js)
      assert.ok(D.exports.has(js.split('.')[0]), `${js} in the .d.ts`)
      if (js.includes('.')) assert.ok(D.members(js.split('.')[0]).has(js.split('.')[1]), `${js} in the .d.ts`)
    }
    for (const name of SURFACE.constants) {
      const js = name.toUpperCase()
      assert.equal(typeof qfpay[js], 'string', js)
      assert.ok(D.exports.has(js), `${js} in the .d.ts`)
    }
    assert.equal(qfpay.NOTIFICATION_ACK, 'SUCCESS')
    // One name per concept: every export is one of the surface's, an error class, or one of
    // the few Node-only names (no alias such as ACK_BODY beside NOTIFICATION_ACK).
    const known = new Set([
      ...SURFACE.functions.map((n) => (NODE[n] || camel(n)).split('.')[0]),
      ...SURFACE.constants.map((n) => n.toUpperCase()),
      ...Object.values(qfpay.ERROR_CLASSES).map((c) => c.name),
      'Client', 'Sandbox', 'QfPayError', 'ERROR_CLASSES', 'debugStringToSign'
    ])
    for (const name of Object.keys(qfpay)) assert.ok(known.has(name), `export ${name} is not in surface.json`)
    for (const name of D.exports) {
      if (/^[A-Z_]+$/.test(name)) assert.ok(known.has(name), `constant ${name} in the .d.ts is not in surface.json`)
    }
    assert.equal(qfpay.SANDBOX_APP_CODE, sandbox.appCode)
  })

  it('sandbox: controls, start options, faults, orders', async () => {
    for (const name of SURFACE.sandbox.controls) {
      const js = camel(name)
      const has = name === 'start' ? typeof qfpay.Sandbox.start === 'function' : (js in sandbox || typeof qfpay.Sandbox.prototype[js] === 'function')
      assert.ok(has, `Sandbox ${js}`)
      assert.ok(D.members('Sandbox').has(js), `Sandbox.${js} in the .d.ts`)
    }
    for (const name of SURFACE.sandbox.start_options) assert.ok(D.members('SandboxOptions').has(option(name)), option(name))
    const s = await qfpay.Sandbox.start({ port: 0, rateLimit: { perSecond: 50 }, notifyTimeScale: 0.01, pendingQueries: 1, slowResponseMs: 10, merchants: [{ appCode: 'A1', clientKey: 'K1' }] })
    try {
      for (const kind of SURFACE.sandbox.faults) s.injectFault({ kind, count: 1, ms: 1, status: 500, body: '{}' })
      s.reset()
      const p = await s.client().wechatQr({ amount: 300 })
      const orders = s.orders()
      assert.equal(orders.length, 1)
      for (const f of SURFACE.sandbox.orders_fields) assert.ok(camel(f) in orders[0], `orders()[0].${camel(f)}`)
      assert.equal(orders[0].outTradeNo, p.outTradeNo)
      assert.equal(orders[0].txamt, 300)
      assert.ok(D.members('SandboxOrder').has('outTradeNo'))
    } finally {
      await s.stop()
    }
  })

  it('logging events and their fields', () => {
    const text = DTS_TEXT
    for (const kind of SURFACE.logging_events) {
      assert.match(text, new RegExp(`EventKind = [^\\n]*'${kind}'`), kind)
      assert.doesNotThrow(() => client.on(kind, () => {}).off(kind, () => {}), kind)
    }
    assert.throws(() => client.on('nope', () => {}), qfpay.ValidationError)
    for (const f of SURFACE.logging_event_fields) assert.ok(D.members('QfPayEvent').has(camel(f)), `QfPayEvent.${camel(f)}`)
  })
})
