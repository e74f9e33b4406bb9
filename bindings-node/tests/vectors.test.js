'use strict'
// Every case of every file in tests/vectors, through the public API.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { qfpay, vectors, resultName, toJs, operate, rejection, VECTORS } = require('./helpers.js')

const KNOWN = ['signing.json', 'notifications.json', 'validation.json', 'responses.json', 'results.json', 'checkout.json']

it('runs every vector file there is', () => {
  const files = fs.readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort()
  assert.deepEqual(files, [...KNOWN].sort(), 'a new vector file needs a runner here')
})

describe('signing.json', () => {
  for (const c of vectors('signing.json')) {
    it(c.name, () => {
      assert.equal(qfpay.stringToSign(c.params), c.string_to_sign)
      assert.equal(qfpay.sign(c.params, c.key, c.sign_type), c.signature)
    })
  }
})

describe('notifications.json', () => {
  for (const c of vectors('notifications.json')) {
    it(c.name, () => {
      for (const body of [Buffer.from(c.body, 'utf8'), c.body, new TextEncoder().encode(c.body)]) {
        if (c.valid) {
          const n = qfpay.verifyNotification(body, c.signature, c.key)
          for (const [k, v] of Object.entries(c.expect)) {
            assert.deepEqual(n[resultName(k)], v, k)
            assert.notEqual(n.raw[k], undefined, `raw.${k}`)
          }
        } else {
          assert.throws(() => qfpay.verifyNotification(body, c.signature, c.key), (e) => {
            assert.ok(e instanceof qfpay.QfPayError)
            assert.equal(e.code, c.error_code)
            return true
          })
        }
      }
    })
  }
})

describe('validation.json (against a sandbox)', () => {
  let sandbox, client
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false, slowResponseMs: 100 })
    client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 300, timeoutMs: 5000 })
  })
  after(() => sandbox.stop())

  for (const c of vectors('validation.json')) {
    it(`${c.operation}: ${c.name}`, async () => {
      const before = sandbox.requestCount()
      let error = null
      try {
        await operate(client, c.operation, c.params)
      } catch (e) {
        error = e
      }
      if (c.valid) {
        assert.ok(!(error instanceof qfpay.ValidationError), `unexpected ${error && error.message}`)
      } else {
        assert.ok(error instanceof qfpay.ValidationError, `expected a ValidationError, got ${error}`)
        assert.ok(error instanceof qfpay.QfPayError)
        assert.equal(error.code, 'validation')
        assert.equal(error.field, c.field)
        assert.equal(sandbox.requestCount(), before, 'nothing may be sent')
      }
    })
  }
})

describe('responses.json (canned answers from a sandbox)', () => {
  let sandbox, client
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 300, timeoutMs: 5000 })
  })
  after(() => sandbox.stop())

  function checkFields (result, fields) {
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'records') assert.equal(result.data.length, v, 'records')
      else if (k === 'first') checkFields(result.data[0], v)
      else assert.deepEqual(result[resultName(k)], v, k)
    }
  }

  for (const c of vectors('responses.json')) {
    it(`${c.operation}: ${c.name}`, async () => {
      sandbox.reset()
      sandbox.injectFault({ kind: 'canned', count: 1, status: c.status, body: c.body })
      if (c.expect.ok) {
        const result = await operate(client, c.operation, c.request)
        checkFields(result, c.expect.fields)
        assert.equal(typeof result.raw, 'object')
      } else {
        const e = await rejection(operate(client, c.operation, c.request))
        assert.ok(e instanceof qfpay.QfPayError, `expected a QfPayError, got ${e}`)
        assert.equal(e.code, c.expect.error_code, e.message)
        assert.ok(e instanceof qfpay.ERROR_CLASSES[c.expect.error_code])
        if (c.expect.respcd) assert.equal(e.respcd, c.expect.respcd)
        if (e.code === 'status_unknown') assert.ok(e.outTradeNo, 'outTradeNo')
      }
    })
  }
})

describe('results.json (what typed results mean, computed values included)', () => {
  let sandbox, client
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 300, timeoutMs: 5000 })
  })
  after(() => sandbox.stop())

  // Every expected field, by its Node name (`is_paid` -> `isPaid`, `notify_type` -> `notifyType`).
  // A null expected value is an absent optional field, which Node leaves out (`origssn?: string`).
  function check (result, expect) {
    for (const [k, v] of Object.entries(expect)) {
      const js = resultName(k)
      if (v === null) assert.ok(!(js in result), `${js}: absent, got ${JSON.stringify(result[js])}`)
      else assert.deepEqual(result[js], v, js)
    }
    assert.equal(typeof result.raw, 'object')
  }
  // A transaction carries exactly the fields results.json names (every one of them), and raw:
  // one name per concept, no alias.
  // A field the surface added after a vector was written (`other_payments`) is allowed too: still
  // one of the surface's names (tests/surface.json), never an alias.
  const SURFACE_JSON = process.env.QFPAY_SURFACE_JSON || path.join(VECTORS, '..', 'surface.json')
  const TRANSACTION = JSON.parse(fs.readFileSync(SURFACE_JSON, 'utf8')).results.Transaction.map(resultName)
  function checkKeys (t, expect) {
    const names = new Set([...Object.keys(expect).map(resultName), ...TRANSACTION, 'raw'])
    for (const k of Object.keys(t)) assert.ok(names.has(k), `unexpected field ${k}`)
  }

  const kinds = new Set()
  for (const c of vectors('results.json')) {
    kinds.add(c.kind)
    it(`${c.kind}: ${c.name}`, async () => {
      sandbox.reset()
      switch (c.kind) {
        case 'transaction': {
          sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: c.answer })
          const page = await client.query({ syssn: c.syssn })
          assert.equal(page.data.length, 1)
          check(page.data[0], c.expect)
          checkKeys(page.data[0], c.expect)
          break
        }
        case 'notification': {
          const n = qfpay.verifyNotification(Buffer.from(c.body, 'utf8'), c.signature, c.key)
          check(n, c.expect)
          break
        }
        case 'duplicate_order': {
          for (const answer of c.answers) sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: answer })
          const e = await rejection(client.createPayment(toJs(c.request)))
          assert.ok(e instanceof qfpay.DuplicateOrderError, `expected a DuplicateOrderError, got ${e}`)
          assert.equal(e.code, c.expect.error_code, e.message)
          assert.equal(e.respcd, c.expect.respcd)
          assert.equal(e.outTradeNo, c.expect.out_trade_no)
          assert.ok(e.existing, 'existing')
          check(e.existing, c.expect.existing)
          checkKeys(e.existing, c.expect.existing)
          // The same object a query gives: one conversion.
          sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: c.answers[c.answers.length - 1] })
          const page = await client.query({ outTradeNo: c.expect.out_trade_no })
          // The record picked among several (the paid one), which alone names the others.
          const same = page.data.find((t) => t.syssn === e.existing.syssn)
          assert.deepEqual({ ...e.existing, otherPayments: [] }, same)
          break
        }
        case 'payment': {
          sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: c.answer })
          const p = await client.createPayment(toJs(c.request))
          checkPayment(p, c.expect)
          break
        }
        case 'reconcile': {
          sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: c.answer })
          const report = await client.reconcile({ ledger: c.ledger, startTime: c.start_time, endTime: c.end_time, minIntervalMs: 0 })
          contains(report, c.expect, 'report')
          break
        }
        case 'note': {
          sandbox.injectFault({ kind: 'canned', count: 1, status: 200, body: c.answer })
          const added = await client.addNote({ syssn: c.syssn, note: c.note })
          check(added, c.expect)
          break
        }
        default:
          assert.fail(`unknown kind ${c.kind}`)
      }
    })
  }
  // `got` holds everything `expect` says, at every depth (as the Rust runner's `contains`): an
  // object's expected fields by their Node names (others may be there too: `detail`, `summary`),
  // a list's items one by one (the same number), a value equal (a discrepancy's `kind` is its
  // string). A null expected value is an absent amount, which Node leaves out.
  function contains (got, expect, at) {
    if (Array.isArray(expect)) {
      assert.ok(Array.isArray(got), `${at}: not a list: ${JSON.stringify(got)}`)
      assert.equal(got.length, expect.length, `${at}: ${JSON.stringify(got)}`)
      expect.forEach((e, i) => contains(got[i], e, `${at}[${i}]`))
    } else if (expect !== null && typeof expect === 'object') {
      assert.ok(got !== null && typeof got === 'object', `${at}: not an object: ${JSON.stringify(got)}`)
      for (const [k, v] of Object.entries(expect)) {
        const js = resultName(k)
        if (v === null) assert.ok(!(js in got), `${at}.${js}: absent, got ${JSON.stringify(got[js])}`)
        else {
          assert.ok(js in got, `${at}: no ${js} in ${JSON.stringify(got)}`)
          contains(got[js], v, `${at}.${js}`)
        }
      }
    } else {
      assert.equal(got, expect, at)
    }
  }
  // A payment's fields; the pay parameters are typed objects compared field by field (`raw` as
  // QFPay sent it), absent (left out) where null is expected.
  function checkPayment (p, expect) {
    for (const [k, v] of Object.entries(expect)) {
      const js = resultName(k)
      if (v === null) {
        assert.ok(!(js in p), `${js}: absent, got ${JSON.stringify(p[js])}`)
      } else if (typeof v === 'object' && !Array.isArray(v)) {
        assert.equal(typeof p[js], 'object', js)
        const names = new Set(Object.keys(v).map(resultName))
        for (const key of Object.keys(p[js])) assert.ok(names.has(key), `${js}.${key} is not expected`)
        for (const [f, fv] of Object.entries(v)) {
          assert.deepEqual(p[js][f === 'raw' ? 'raw' : resultName(f)], fv, `${js}.${f}`)
        }
      } else {
        assert.deepEqual(p[js], v, js)
      }
    }
    assert.equal(typeof p.raw, 'object')
  }
  it('has every kind of case', () => {
    assert.deepEqual([...kinds].sort(), ['duplicate_order', 'note', 'notification', 'payment', 'reconcile', 'transaction'])
  })
})

describe('checkout.json (hosted checkout links, built and read back)', () => {
  const clientOf = (c) => new qfpay.Client({ appCode: c.app_code, clientKey: c.key, baseUrl: c.base_url, ...(c.sign_type ? { signType: c.sign_type } : {}) })
  for (const c of vectors('checkout.json')) {
    it(`${c.kind}: ${c.name}`, () => {
      const client = clientOf(c)
      switch (c.kind) {
        case 'sign': {
          // Synchronous: no Promise, the link at once.
          const link = client.checkoutUrl(toJs(c.request))
          assert.ok(!(link instanceof Promise))
          assert.equal(link.url, c.url)
          assert.equal(link.sign, c.sign)
          assert.equal(qfpay.stringToSign(Object.fromEntries(Object.entries(link.params).filter(([k]) => k !== 'sign'))), c.string_to_sign)
          const back = client.verifyCheckoutUrl(link.url)
          assert.equal(back.sign, c.sign)
          assert.equal(back.outTradeNo, c.request.out_trade_no)
          assert.equal(back.txamt, c.request.amount)
          assert.deepEqual(back.params, link.params)
          break
        }
        case 'verify': {
          if (c.valid) {
            assert.equal(typeof client.verifyCheckoutUrl(c.url).sign, 'string')
          } else {
            assert.throws(() => client.verifyCheckoutUrl(c.url), (e) => {
              assert.ok(e instanceof qfpay.SignatureError, `expected a SignatureError, got ${e}`)
              assert.equal(e.code, 'signature')
              if (c.reason) assert.ok(e.message.includes(c.reason), `${e.message} lacks ${c.reason}`)
              return true
            })
          }
          break
        }
        default:
          assert.fail(`unknown kind ${c.kind}`)
      }
    })
  }
})
