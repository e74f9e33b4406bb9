'use strict'
// Money safety (issue 9, items 3, 5, 9): every error from a money-moving call names its order,
// a re-submitted order number is answered with the existing transaction, and waitForPayment
// keeps its deadline.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const {
  Sandbox, Client, ValidationError, DeclinedError, DuplicateOrderError, RateLimitedError,
  NetworkError, AuthError, StatusUnknownError, ApiError
} = qfpay

describe('money safety', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 300, retryBaseDelayMs: 5, retryMaxDelayMs: 10 })
  })
  after(() => sandbox.stop())

  describe('every error from a money-moving call carries outTradeNo', () => {
    const cases = [
      ['declined', () => ({ amount: 1003 }), DeclinedError],
      ['rate limited', () => ({ amount: 1007 }), RateLimitedError],
      ['validation after the number was generated', () => ({ amount: 300, goodsName: 'x'.repeat(65) }), ValidationError]
    ]
    for (const [name, req, Cls] of cases) {
      it(`${name}: generated number`, async () => {
        const e = await rejection(client.wechatQr(req()))
        assert.ok(e instanceof Cls, `${e}`)
        assert.equal(typeof e.outTradeNo, 'string', `${name}: ${e.message}`)
        assert.ok(e.outTradeNo.length > 10)
      })
      it(`${name}: given number`, async () => {
        const outTradeNo = qfpay.generateOutTradeNo()
        const e = await rejection(client.wechatQr({ ...req(), outTradeNo }))
        assert.ok(e instanceof Cls, `${e}`)
        assert.equal(e.outTradeNo, outTradeNo)
        assert.match(e.message, new RegExp(outTradeNo), 'the message names the order')
      })
    }
    it('duplicate, auth, network, server-state', async () => {
      const outTradeNo = qfpay.generateOutTradeNo()
      await client.wechatQr({ amount: 300, outTradeNo })
      const dup = await rejection(client.wechatQr({ amount: 300, outTradeNo }))
      assert.ok(dup instanceof DuplicateOrderError)
      assert.equal(dup.outTradeNo, outTradeNo)

      const wrongKey = sandbox.client({ clientKey: 'WRONG', maxRetries: 0 })
      const auth = await rejection(wrongKey.createPayment({ amount: 300, currency: 'HKD', payType: '800201' }))
      assert.ok(auth instanceof AuthError)
      assert.equal(typeof auth.outTradeNo, 'string')

      const offline = new Client({ appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 })
      const net = await rejection(offline.wechatQr({ amount: 300, outTradeNo: 'qfNODEOFFLINE0001' }))
      assert.ok(net instanceof NetworkError)
      assert.equal(net.sent, false)
      assert.equal(net.outTradeNo, 'qfNODEOFFLINE0001')

      const refund = await rejection(client.refund({ syssn: 'NOSUCHSYSSN', amount: 100, currency: 'HKD', outTradeNo: 'qfNODEREFUND0001' }))
      assert.ok(refund instanceof ApiError, `${refund}`)
      assert.equal(refund.outTradeNo, 'qfNODEREFUND0001')
      const close = await rejection(client.close({ outTradeNo: 'qfNOSUCHORDER01', amount: 100, currency: 'HKD' }))
      assert.equal(close.outTradeNo, 'qfNOSUCHORDER01')
      const rev = await rejection(client.reverse({ outTradeNo: 'qfNOSUCHORDER02', amount: 100, currency: 'HKD' }))
      assert.equal(rev.outTradeNo, 'qfNOSUCHORDER02')
    })
  })

  describe('a re-submitted order number is answered, not just refused', () => {
    it('paid: existing.state is succeeded', async () => {
      const outTradeNo = qfpay.generateOutTradeNo()
      const p = await client.wechatQr({ amount: 300, outTradeNo })
      sandbox.pay(outTradeNo)
      const e = await rejection(client.wechatQr({ amount: 300, outTradeNo }))
      assert.ok(e instanceof DuplicateOrderError, `${e}`)
      assert.ok(e.existing, 'the existing transaction is on the error')
      assert.equal(e.existing.state, 'succeeded')
      assert.equal(e.existing.isPaid, true)
      assert.equal(e.existing.outTradeNo, outTradeNo)
      assert.equal(e.existing.syssn, p.syssn)
      assert.equal(e.existing.txamt, 300)
      assert.equal(e.existing.txcurrcd, 'HKD')
    })
    it('unpaid: existing.state is pending', async () => {
      const outTradeNo = qfpay.generateOutTradeNo()
      await client.wechatQr({ amount: 450, outTradeNo })
      const e = await rejection(client.wechatQr({ amount: 450, outTradeNo }))
      assert.equal(e.existing.state, 'pending')
      assert.equal(e.existing.txamt, 450)
    })
    it('after a status-unknown, the re-submission tells what happened', async () => {
      const e1 = await rejection(client.wechatQr({ amount: 1004 }))
      assert.ok(e1 instanceof StatusUnknownError, `${e1}`)
      const e2 = await rejection(client.wechatQr({ amount: 1004, outTradeNo: e1.outTradeNo }))
      assert.ok(e2 instanceof DuplicateOrderError, `${e2}`)
      assert.equal(e2.existing.outTradeNo, e1.outTradeNo)
    })
  })

  describe('waitForPayment keeps its deadline', () => {
    it('queries once more at the deadline, never gives up early', async () => {
      const p = await client.wechatQr({ amount: 300 })
      setTimeout(() => sandbox.pay(p.outTradeNo), 750)
      const started = Date.now()
      // Queries at ~600 ms, then the next would be at 1 200 ms > the 1 000 ms deadline: the
      // last query is made at the deadline and sees the payment made at 750 ms.
      const t = await client.waitForPayment(p.outTradeNo, { timeoutMs: 1000, intervalMs: 600, maxIntervalMs: 600 })
      assert.equal(t.state, 'succeeded')
      assert.ok(Date.now() - started >= 750)
    })
    it('gives up at the deadline, not before, and says so', async () => {
      const p = await client.wechatQr({ amount: 300 })
      const started = Date.now()
      const e = await rejection(client.waitForPayment(p.outTradeNo, { timeoutMs: 800, intervalMs: 500, maxIntervalMs: 500 }))
      const ms = Date.now() - started
      assert.ok(e instanceof StatusUnknownError)
      assert.equal(e.outTradeNo, p.outTradeNo)
      assert.ok(ms >= 780, `gave up after ${ms} ms`)
      assert.ok(ms < 2000, `took ${ms} ms`)
    })
  })
})
