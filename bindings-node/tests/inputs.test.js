'use strict'
// Hostile and wrong values (issue 9, items 6-8): every one is a typed error naming the argument
// or option, nothing is sent, and nothing aborts the process.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { qfpay, rejection } = require('./helpers.js')

const { Client, Sandbox, ValidationError, ConfigError, SignatureError, QfPayError } = qfpay

const SURFACE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'tests', 'surface.json'), 'utf8'))

// surface.json's canonical names → this binding's (durations in milliseconds, suffix Ms).
const DURATIONS = new Set(['timeout', 'connect_timeout', 'reconcile_timeout', 'retry_base_delay', 'retry_max_delay', 'interval', 'max_interval', 'slow_response'])
const NUMBERS = new Set(['max_retries', 'utc_offset_seconds', 'expired_time', 'page', 'page_size', 'amount', 'port', 'pending_queries', 'notify_time_scale'])
const JS_FIELD = { txamt: 'amount', txcurrcd: 'currency' }
function jsName (name) {
  const camel = (JS_FIELD[name] || name).replace(/_([a-z])/g, (_, c) => c.toUpperCase())
  return DURATIONS.has(name) ? camel + 'Ms' : camel
}
// A value of the wrong type for an option of canonical name `name`.
function wrongValue (name) {
  return DURATIONS.has(name) || NUMBERS.has(name) ? 'five' : { not: 'a string' }
}
// QFPay's name of a request field (what ValidationError.field says).
function qfName (name) {
  return { amount: 'txamt', currency: 'txcurrcd' }[name] || name
}

const EXTREMES = [NaN, Infinity, -Infinity, 1e300, -1, 0]

function namesOption (e, option) {
  return (e instanceof ValidationError || e instanceof ConfigError) &&
    (e.field === option || e.message.includes(option))
}

describe('hostile and wrong values', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0 })
  })
  after(() => sandbox.stop())

  const base = () => ({ baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: sandbox.clientKey })

  describe('every duration option at the extremes', () => {
    for (const name of ['timeoutMs', 'connectTimeoutMs', 'reconcileTimeoutMs', 'retryBaseDelayMs', 'retryMaxDelayMs']) {
      for (const v of EXTREMES) {
        it(`client option ${name}: ${v}`, () => {
          let e
          try {
            new Client({ ...base(), [name]: v }) // eslint-disable-line no-new
          } catch (err) {
            e = err
          }
          if (v === 0 && e === undefined) return // zero may be a valid setting (no delay)
          assert.ok(e, `${name}: ${v} was accepted`)
          assert.ok(namesOption(e, name), `${name}: ${v} gave ${e && e.constructor.name}: ${e && e.message}`)
        })
      }
    }
    for (const v of EXTREMES) {
      it(`call option timeoutMs: ${v}`, async () => {
        const before = sandbox.requestCount()
        const e = await rejection(client.query({}, { timeoutMs: v }))
        assert.ok(namesOption(e, 'timeoutMs'), `${e}`)
        assert.equal(sandbox.requestCount(), before)
      })
      for (const name of ['timeoutMs', 'intervalMs', 'maxIntervalMs']) {
        if (v === 0 && name === 'intervalMs') continue // an immediate first query is allowed
        it(`wait option ${name}: ${v}`, async () => {
          const r = await client.waitForPayment('qfNOSUCHORDER', { timeoutMs: 100, intervalMs: 20, maxIntervalMs: 20, [name]: v }).then((t) => t, (err) => err)
          if (v === 0) {
            assert.ok(r instanceof QfPayError, `${r}`) // zero: a typed error either way (refused, or status unknown at once)
            return
          }
          assert.ok(namesOption(r, name), `${r}`)
        })
      }
    }
    it('a huge client timeout does not abort the process (child process)', () => {
      const script = `
        const { Client } = require(${JSON.stringify(path.resolve(__dirname, '..'))})
        for (const timeoutMs of [1e300, Number.MAX_VALUE, 1e19]) {
          try {
            new Client({ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', timeoutMs })
            console.log('accepted')
          } catch (e) {
            console.log(e.constructor.name, e.field)
          }
        }`
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 })
      assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`)
      assert.equal(r.status, 0, r.stderr)
      assert.deepEqual(r.stdout.trim().split('\n'), Array(3).fill('ValidationError timeoutMs'))
    })
  })

  describe('amounts at the extremes', () => {
    for (const v of [NaN, Infinity, -Infinity, 1e300, -1, 0, 2.5, 2 ** 53]) {
      it(`amount ${v}`, async () => {
        const before = sandbox.requestCount()
        // One call at a time: rejections of calls made together may arrive in one batch,
        // before the later ones are awaited (an unhandled rejection, as with any Node API).
        for (const call of [
          () => client.wechatQr({ amount: v }),
          () => client.createPayment({ amount: v, currency: 'HKD', payType: '800201' }),
          () => client.refund({ syssn: '20230101000300020000000001', amount: v, currency: 'HKD' }),
          () => client.close({ outTradeNo: 'qfX', amount: v, currency: 'HKD' }),
          () => client.reverse({ outTradeNo: 'qfX', amount: v, currency: 'HKD' })
        ]) {
          const e = await rejection(call())
          assert.ok(e instanceof ValidationError, `${v}: ${e}`)
          assert.equal(e.field, 'txamt')
        }
        assert.equal(sandbox.requestCount(), before)
      })
    }
  })

  describe('wrong types, for every option in surface.json', () => {
    for (const name of SURFACE.client.options) {
      const option = jsName(name)
      it(`client option ${option}`, () => {
        assert.throws(() => new Client({ ...base(), [option]: wrongValue(name) }), (e) => namesOption(e, option))
      })
    }
    for (const name of SURFACE.call_options) {
      const option = jsName(name)
      it(`call option ${option}`, async () => {
        assert.ok(namesOption(await rejection(client.query({}, { [option]: wrongValue(name) })), option))
      })
    }
    for (const name of SURFACE.operations.wait_for_payment.options) {
      const option = jsName(name)
      it(`wait option ${option}`, async () => {
        assert.ok(namesOption(await rejection(client.waitForPayment('qfX', { [option]: wrongValue(name) })), option))
      })
    }
    const requests = {
      create_payment: (r) => client.createPayment({ amount: 300, currency: 'HKD', payType: '800201', ...r }),
      wechat_qr: (r) => client.wechatQr({ amount: 300, ...r }),
      query: (r) => client.query({ ...r }),
      refund: (r) => client.refund({ syssn: '20230101000300020000000001', amount: 100, currency: 'HKD', ...r }),
      close: (r) => client.close({ outTradeNo: 'qfX', amount: 100, currency: 'HKD', ...r }),
      reverse: (r) => client.reverse({ outTradeNo: 'qfX', amount: 100, currency: 'HKD', ...r })
    }
    for (const [op, send] of Object.entries(requests)) {
      const spec = SURFACE.operations[op]
      for (const name of [...spec.args, ...spec.options]) {
        it(`${op} field ${jsName(name)}`, async () => {
          const before = sandbox.requestCount()
          const e = await rejection(send({ [jsName(name)]: NUMBERS.has(name) ? 'five' : 42 }))
          assert.ok(e instanceof ValidationError, `${e}`)
          assert.equal(e.field, qfName(name))
          assert.equal(sandbox.requestCount(), before)
        })
      }
    }
    it('findPayment and waitForPayment without a string order number', async () => {
      for (const bad of [undefined, null, 42, {}, '']) {
        // One promise at a time: a second rejected promise made before the first is awaited
        // would be an unhandled rejection while the first waits.
        for (const call of [() => client.findPayment(bad), () => client.waitForPayment(bad)]) {
          const e = await rejection(call())
          assert.ok(e instanceof ValidationError, `${bad}: ${e}`)
          assert.equal(e.field, 'out_trade_no')
        }
      }
    })
    it('call options that are not an object', async () => {
      const e = await rejection(client.query({}, 'fast'))
      assert.ok(e instanceof ValidationError, `${e}`)
    })
  })

  describe('lone surrogates are refused, not sent as U+FFFD', () => {
    it('goodsName', async () => {
      const before = sandbox.requestCount()
      for (const goodsName of ['Coffee \uD800', '\uDC00 tea', 'a\uD83D']) {
        const e = await rejection(client.wechatQr({ amount: 300, goodsName }))
        assert.ok(e instanceof ValidationError, `${e}`)
        assert.equal(e.field, 'goods_name')
        assert.match(e.rule, /lone surrogate/)
      }
      assert.equal(sandbox.requestCount(), before)
      // a proper pair (an emoji) is fine
      const p = await client.wechatQr({ amount: 300, goodsName: 'Coffee \u2615 \uD83D\uDE00' })
      assert.equal(p.respcd, '0000')
    })
    it('any string field, list item, extendInfo member and option', async () => {
      assert.equal((await rejection(client.query({ outTradeNo: ['ok', 'bad\uD800'] }))).field, 'out_trade_no')
      assert.equal((await rejection(client.wechatQr({ amount: 300, extendInfo: { userCreid: '1\uDFFF', userTruename: 'x' } }))).field, 'extend_info.user_creid')
      // the documented form, a JSON string, gets the same real-name rules as the object form
      for (const [text, field] of [
        ['{"user_creid":"123","user_truename":"A"}', 'extend_info.user_creid'],
        ['{"user_creid":"110105194912310021","user_truename":"A"}', 'extend_info.user_creid'],
        ['{"user_creid":"11010519491231002X","user_truename":""}', 'extend_info.user_truename'],
      ]) {
        const e = await rejection(client.wechatQr({ amount: 300, extendInfo: text }))
        assert.ok(e instanceof ValidationError, `${e}`)
        assert.equal(e.field, field, text)
      }
      assert.throws(() => new Client({ ...base(), mchid: 'M\uD800' }), (e) => e instanceof ValidationError && e.field === 'mchid')
    })
  })

  it('sign refuses what it cannot sign faithfully (NUL, fractions, other types), naming it', () => {
    for (const [params, field] of [[{ a: 'x\u0000y' }, 'params'], [{ 'a\u0000b': '1' }, 'params'], [{ txamt: 1.5 }, 'txamt'], [{ txamt: NaN }, 'txamt'], [{ paid: true }, 'paid'], ['a=1', 'params']]) {
      assert.throws(() => qfpay.sign(params, 'k'), (e) => e instanceof ValidationError && e.field === field, JSON.stringify(params))
    }
    assert.equal(qfpay.stringToSign({ b: '2', a: '1', c: null, d: undefined, n: 300 }), 'a=1&b=2&n=300')
  })

  describe('notification signatures that are missing', () => {
    const body = Buffer.from('{"notify_type":"payment","status":"1","out_trade_no":"X","txamt":"1"}')
    for (const sig of [undefined, null, '', [], ['']]) {
      it(`signature ${JSON.stringify(sig)}`, () => {
        assert.throws(() => qfpay.verifyNotification(body, sig, sandbox.clientKey), (e) => e instanceof SignatureError && e.code === 'signature')
      })
    }
  })
})
