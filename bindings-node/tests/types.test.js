'use strict'
// Wrong JavaScript types everywhere (issue 22, item 5): a Buffer, object, array, Symbol, BigInt,
// function, Date, Map or boolean where a string or number is expected is the SDK's
// ValidationError naming the field (QFPay's name, nested with a dot: extend_info.user_creid,
// the same as for a broken rule) or the option/argument as JavaScript spells it, and the type
// expected; never napi's generic Error, a TypeError, or a Rust-internal name. Nothing is sent.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { qfpay, rejection } = require('./helpers.js')

const { Client, Sandbox, ValidationError, ConfigError, QfPayError } = qfpay

const SURFACE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'tests', 'surface.json'), 'utf8'))
const DURATIONS = new Set(['timeout', 'connect_timeout', 'reconcile_timeout', 'retry_base_delay', 'retry_max_delay', 'interval', 'max_interval', 'slow_response'])
const NUMBERS = new Set(['max_retries', 'utc_offset_seconds', 'expired_time', 'checkout_expired_time', 'page', 'page_size', 'amount', 'txamt'])
// A JSAPI payment's WeChat pay parameters (cashierUrl's payParams).
const PAY_PARAMS = { appId: 'wx0', timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 'S' }
const JS_FIELD = { txamt: 'amount', txcurrcd: 'currency' }
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const jsName = (name) => DURATIONS.has(name) ? camel(name) + 'Ms' : camel(JS_FIELD[name] || name)
const qfName = (name) => ({ amount: 'txamt', currency: 'txcurrcd', checkout_expires_at: 'checkout_expired_time' })[name] || name

// Wrong values and the type the message must name.
const WRONG = [
  ['a Buffer', () => Buffer.from('x')],
  ['a Uint8Array', () => new Uint8Array([1])],
  ['an object', () => ({ a: 1 })],
  ['an array', () => [{ a: 1 }]],
  ['a Symbol', () => Symbol('s')],
  ['a BigInt', () => 5n],
  ['a function', () => () => 1],
  ['a Date', () => new Date(0)],
  ['a Map', () => new Map()],
  ['a boolean', () => true]
]
// Words napi, serde or Rust would put in a message.
const FOREIGN = /serde_json|rust type|napi|JS functions|JS symbols|credentials\(|::|Option<|String`/

function check (e, field, label) {
  assert.ok(e instanceof ValidationError, `${label}: ${e && e.constructor.name}: ${e && e.message}`)
  assert.equal(e.code, 'validation', label)
  assert.equal(e.field, field, `${label}: ${e.message}`)
  assert.doesNotMatch(e.message, FOREIGN, label)
  assert.match(e.message, /must be/, label)
}

function thrown (fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('did not throw')
}

describe('wrong JavaScript types', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0 })
  })
  after(() => sandbox.stop())
  const base = () => ({ baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: sandbox.clientKey })

  it('goodsName: Buffer is a ValidationError naming goods_name and the string it wants', async () => {
    const before = sandbox.requestCount()
    const e = await rejection(client.wechatQr({ amount: 300, goodsName: Buffer.from('Coffee') }))
    check(e, 'goods_name', 'goodsName')
    assert.equal(e.message, 'invalid goods_name: goodsName must be a string, got a Buffer')
    assert.equal(sandbox.requestCount(), before)
  })

  it('a nested field is named by its dotted QFPay path, for a wrong type as for a broken rule', async () => {
    for (const [what, make] of WRONG) {
      if (what === 'an object') continue // { a: 1 } as extendInfo itself is tested below
      const e = await rejection(client.wechatQr({ amount: 300, extendInfo: { userCreid: make(), userTruename: 'A' } }))
      check(e, 'extend_info.user_creid', `userCreid ${what}`)
      assert.match(e.message, new RegExp(`must be a string, got ${what}`))
      const t = await rejection(client.wechatQr({ amount: 300, extendInfo: { userCreid: '11010519491231002X', userTruename: make() } }))
      check(t, 'extend_info.user_truename', `userTruename ${what}`)
    }
    const number = await rejection(client.wechatQr({ amount: 300, extendInfo: { userCreid: 110105194912310020, userTruename: 'A' } }))
    check(number, 'extend_info.user_creid', 'userCreid number')
    // The same field for a broken rule (tests/vectors/validation.json's names).
    const rule = await rejection(client.wechatQr({ amount: 300, extendInfo: { userCreid: '123', userTruename: 'A' } }))
    assert.equal(rule.field, 'extend_info.user_creid')
    const whole = await rejection(client.wechatQr({ amount: 300, extendInfo: Buffer.from('{}') }))
    check(whole, 'extend_info', 'extendInfo Buffer')
  })

  it('every request field of every operation (surface.json), every wrong type', async () => {
    const requests = {
      create_payment: (r) => client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', ...r }),
      wechat_qr: (r) => client.wechatQr({ amount: 300, ...r }),
      query: (r) => client.query({ ...r }),
      refund: (r) => client.refund({ syssn: '20230101000300020000000001', amount: 100, currency: 'HKD', ...r }),
      close: (r) => client.close({ outTradeNo: 'qfX', amount: 100, currency: 'HKD', ...r }),
      reverse: (r) => client.reverse({ outTradeNo: 'qfX', amount: 100, currency: 'HKD', ...r }),
      // The local operations throw at once (made a rejection here).
      checkout_url: (r) => Promise.resolve().then(() => client.checkoutUrl({ amount: 100, currency: 'HKD', returnUrl: 'https://a/r', failedUrl: 'https://a/f', notifyUrl: 'https://a/n', ...r })),
      wechat_oauth_url: (r) => Promise.resolve().then(() => client.wechatOauthUrl({ redirectUri: 'https://a/r', ...r })),
      get_wechat_openid: (r) => client.getWechatOpenid({ code: 'c', ...r }),
      cashier_url: (r) => Promise.resolve().then(() => client.cashierUrl({ amount: 100, currency: 'HKD', payParams: PAY_PARAMS, mchntnm: 'M', redirectUrl: 'https://a/r', ...r })),
      verify_checkout_url: (r) => Promise.resolve().then(() => client.verifyCheckoutUrl(r.url))
    }
    const before = sandbox.requestCount()
    let n = 0
    for (const [op, send] of Object.entries(requests)) {
      const spec = SURFACE.operations[op]
      for (const name of [...spec.args, ...spec.options]) {
        if (name === 'extend_info') continue // above
        for (const [what, make] of WRONG) {
          const e = await rejection(send({ [jsName(name)]: make() }))
          if (name === 'pay_params') {
            check(e, 'pay_params', `${op} payParams ${what}`)
            n++
            continue
          }
          if (name === 'extra_params') {
            // A map of text: an object's non-text value is named by its dotted path.
            const field = what === 'an object' ? 'extra_params.a' : 'extra_params'
            check(e, field, `${op} extraParams ${what}`)
            assert.match(e.message, what === 'an object' ? /must be text/ : /must be an object/, `${op} extraParams ${what}: ${e.message}`)
            n++
            continue
          }
          check(e, qfName(name), `${op} ${jsName(name)} ${what}`)
          // The type expected, and the type given (an array's item is described as itself).
          assert.match(e.message, NUMBERS.has(name) ? /whole number/ : /string/, `${op} ${jsName(name)} ${what}: ${e.message}`)
          if (what !== 'an array') assert.ok(e.message.includes(what), `${op} ${jsName(name)} ${what}: ${e.message}`)
          n++
        }
      }
    }
    assert.ok(n > 300, `${n} cases`)
    assert.equal(sandbox.requestCount(), before, 'nothing was sent')
  })

  it('a request, options object or order number of the wrong type names the argument', async () => {
    for (const [what, make] of WRONG) {
      if (what === 'an object') continue
      for (const [label, call, field] of [
        ['createPayment(request)', () => client.createPayment(make()), 'request'],
        ['query(request)', () => client.query(make()), 'request'],
        ['refund(request)', () => client.refund(make()), 'request'],
        ['close(request)', () => client.close(make()), 'request'],
        ['query(_, options)', () => client.query({}, make()), 'options'],
        ['waitForPayment(_, options)', () => client.waitForPayment('qfX', make()), 'options'],
        ['findPayment(outTradeNo)', () => client.findPayment(make()), 'out_trade_no'],
        ['waitForPayment(outTradeNo)', () => client.waitForPayment(make()), 'out_trade_no']
      ]) {
        if (what === 'a boolean' && field !== 'out_trade_no') continue // a primitive: the same rule, tested in inputs.test.js
        check(await rejection(call()), field, `${label} ${what}`)
      }
      for (const [label, fn] of [['new Client(options)', () => new Client(make())], ['Client.fromEnv(overrides)', () => Client.fromEnv(make())], ['sandbox.client(options)', () => sandbox.client(make())]]) {
        if (what === 'a boolean') continue
        check(thrown(fn), 'options', `${label} ${what}`)
      }
      assert.throws(() => client.queryPages(make()), (e) => e instanceof ValidationError && e.field === 'request', `queryPages ${what}`)
    }
  })

  it('every client, call and wait option, every wrong type', async () => {
    for (const [what, make] of WRONG) {
      for (const name of SURFACE.client.options) {
        const option = jsName(name)
        if (option === 'logger') continue
        check(thrown(() => new Client({ ...base(), [option]: make() })), option, `client ${option} ${what}`)
      }
      for (const name of SURFACE.call_options) {
        const option = jsName(name)
        check(await rejection(client.query({}, { [option]: make() })), option, `call ${option} ${what}`)
      }
      for (const name of SURFACE.operations.wait_for_payment.options) {
        const option = jsName(name)
        check(await rejection(client.waitForPayment('qfX', { [option]: make() })), option, `wait ${option} ${what}`)
      }
      check(thrown(() => new Client({ ...base(), logLevel: make() })), 'logLevel', `logLevel ${what}`)
      check(thrown(() => client.on(make(), () => {})), 'kind', `on ${what}`)
      if (what !== 'a function') check(thrown(() => client.on('request', make())), 'listener', `listener ${what}`)
    }
    // A key of the wrong type is refused naming the option, never printing the value.
    const e = thrown(() => new Client({ ...base(), clientKey: 1234567890 }))
    check(e, 'clientKey', 'numeric clientKey')
    assert.ok(!e.message.includes('1234567890'), e.message)
  })

  it('notification and signing helpers: wrong types name the argument', () => {
    const body = '{"notify_type":"payment","status":"1","out_trade_no":"X","txamt":"1"}'
    const sig = qfpay.notificationSignature(body, 'K')
    for (const [what, make] of WRONG) {
      if (what !== 'an array') check(thrown(() => qfpay.verifyNotification(body, make(), 'K')), 'signature', `signature ${what}`)
      check(thrown(() => qfpay.verifyNotification(body, sig, make())), 'clientKey', `verify clientKey ${what}`)
      check(thrown(() => qfpay.notificationSignature(body, make())), 'clientKey', `notificationSignature clientKey ${what}`)
      check(thrown(() => qfpay.sign({ a: '1' }, make())), 'key', `sign key ${what}`)
      check(thrown(() => qfpay.sign({ a: '1' }, 'K', make())), 'signType', `sign signType ${what}`)
      check(thrown(() => qfpay.sign({ a: make() }, 'K')), 'a', `sign value ${what}`)
      check(thrown(() => qfpay.stringToSign({ a: make() })), 'a', `stringToSign value ${what}`)
      for (const r of ['svg', 'png', 'dataUrl', 'terminal']) check(thrown(() => qfpay.qr[r](make())), 'content', `qr.${r} ${what}`)
      check(thrown(() => qfpay.qr.png('x', make())), 'scale', `qr.png scale ${what}`)
    }
    check(thrown(() => qfpay.verifyNotification(body, 123, 'K')), 'signature', 'numeric signature')
    assert.equal(thrown(() => qfpay.verifyNotification(JSON.parse(body), sig, 'K')).field, 'rawBody')
    const sym = thrown(() => qfpay.verifyNotification(Symbol('b'), sig, 'K'))
    assert.ok(sym instanceof ValidationError && sym.field === 'rawBody' && /got a Symbol/.test(sym.message), `${sym}`)
    for (const scale of [0, -1, 2.5, 1e9, NaN]) check(thrown(() => qfpay.qr.png('x', scale)), 'scale', `scale ${scale}`)
    // An unknown sign type is a ValidationError that does not quote the value.
    const t = thrown(() => qfpay.sign({ a: '1' }, 'K', 'SECRETSIGNTYPE'))
    check(t, 'signType', 'unknown signType')
    assert.ok(!t.message.includes('SECRETSIGNTYPE'))
    // Still fine: the types each helper takes.
    assert.equal(qfpay.verifyNotification(Buffer.from(body), [sig], 'K').outTradeNo, 'X')
    assert.equal(qfpay.sign({ a: '1', n: 2 }, 'K', 'sha256').length, 64)
    assert.ok(qfpay.qr.png('x', 2) instanceof Buffer)
  })

  it('sandbox helpers: wrong types name the argument', async () => {
    for (const [what, make] of WRONG) {
      check(thrown(() => sandbox.pay(make())), 'syssn', `pay ${what}`)
      check(thrown(() => sandbox.advanceClock(make())), 'seconds', `advanceClock ${what}`)
      if (what !== 'an object') check(thrown(() => sandbox.injectFault(make())), 'fault', `injectFault ${what}`)
      const e = await rejection(Sandbox.start({ merchants: [{ appCode: 'A', clientKey: make() }] }))
      check(e, 'clientKey', `merchant clientKey ${what}`)
    }
  })

  it('configuration errors name the option as JavaScript spells it, in JavaScript terms', () => {
    const cases = [
      [{ clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }, 'appCode'],
      [{ appCode: 'A', baseUrl: 'http://127.0.0.1:9' }, 'clientKey'],
      [{ appCode: 'A', clientKey: 'K', environment: 'mars' }, 'environment'],
      [{ appCode: 'A', clientKey: 'K', baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', signType: 'sha1' }, 'signType'],
      [{ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', mchid: 'M'.repeat(40) }, 'mchid'],
      [{ appCode: 'A'.repeat(65), clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }, 'appCode'],
      [{ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', utcOffsetSeconds: 100000 }, 'utcOffsetSeconds'],
      [{ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', timeoutMs: 0 }, 'timeoutMs']
    ]
    const saved = { ...process.env }
    try {
      for (const k of ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY', 'QFPAY_ENV', 'QFPAY_BASE_URL']) delete process.env[k]
      for (const [options, field] of cases) {
        const e = thrown(() => new Client(options))
        assert.ok(e instanceof ConfigError, `${field}: ${e}`)
        assert.equal(e.field, field, e.message)
        assert.ok(e.message.startsWith(`configuration error: ${field} `), e.message)
        assert.doesNotMatch(e.message, FOREIGN, e.message)
      }
      // A misspelt option is named as written (not as a core name would be spelt).
      for (const typo of ['timeOut', 'timeout']) {
        const e = thrown(() => new Client({ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', [typo]: 5 }))
        assert.ok(e instanceof ValidationError, `${typo}: ${e}`)
        assert.equal(e.field, typo, e.message)
        assert.match(e.message, /is not an option/, e.message)
      }
    } finally {
      for (const k of ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY', 'QFPAY_ENV', 'QFPAY_BASE_URL']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
    }
    const missing = thrown(() => new Client({ clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }))
    assert.equal(missing.field, 'appCode')
    assert.match(missing.message, /QFPAY_APP_CODE/)
    assert.doesNotMatch(missing.message, /credentials\(/, 'no Rust builder method in a Node message')
  })

  it('class instances are still records (their own fields are read), as before', async () => {
    class WechatOrder {
      constructor () {
        this.amount = 300
        this.goodsName = 'Coffee'
        this.extendInfo = new (class RealName { constructor () { this.userCreid = '11010519491231002X'; this.userTruename = 'A' } })()
      }
    }
    class CallOptions { constructor () { this.timeoutMs = 5000 } }
    const p = await client.wechatQr(new WechatOrder(), new CallOptions())
    assert.equal(p.respcd, '0000')
  })

  it('every failure above is a QfPayError: nothing escapes as a plain Error or TypeError', async () => {
    const odd = [Symbol('s'), 5n, () => 1, Buffer.from('x'), new Proxy({}, {}), Object.create(null), new (class Order {})()]
    for (const v of odd) {
      for (const fn of [
        () => new Client({ ...base(), appCode: v }),
        () => client.wechatQr({ amount: v }),
        () => client.query({ outTradeNo: [v] }),
        () => client.query({}, { maxRetries: v }),
        () => qfpay.sign({ a: '1' }, 'K', v),
        () => client.on(v, () => {}),
        () => new Client({ ...base(), logLevel: v })
      ]) {
        const e = await rejection((async () => fn())())
        assert.ok(e instanceof QfPayError, `${typeof v}: ${e && e.constructor.name}: ${e && e.message}`)
      }
    }
  })
})
