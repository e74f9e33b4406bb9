'use strict'
// An AbortSignal per call (issue 9, item 4): aborting rejects at once with an AbortError (as
// fetch does), the core's future is dropped, and the order number is known to the caller.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const { Sandbox, ValidationError, generateOutTradeNo } = qfpay

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

describe('AbortSignal', () => {
  let sandbox, client
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
    client = sandbox.client({ maxRetries: 0 })
    await client.query({}) // warm the connection
  })
  after(() => sandbox.stop())

  it('an already aborted signal rejects at once and sends nothing', async () => {
    const before = sandbox.requestCount()
    const e = await rejection(client.wechatQr({ amount: 300 }, { signal: AbortSignal.abort() }))
    assert.ok(e instanceof DOMException, `${e}`)
    assert.equal(e.name, 'AbortError')
    assert.equal(typeof e.outTradeNo, 'string', 'the generated order number is on the error')
    assert.equal(sandbox.requestCount(), before)
  })

  it('aborting mid-call rejects at once; the order it sent is still found by its number', async () => {
    sandbox.injectFault({ kind: 'delay', ms: 600, count: 1 })
    const controller = new AbortController()
    const started = Date.now()
    const call = client.wechatQr({ amount: 300 }, { signal: controller.signal })
    await sleep(100)
    controller.abort()
    const e = await rejection(call)
    const ms = Date.now() - started
    assert.equal(e.name, 'AbortError')
    assert.ok(e instanceof DOMException)
    assert.ok(ms < 400, `the rejection took ${ms} ms`)
    assert.ok(e.outTradeNo, 'names the order')
    // The request had been sent: the caller recovers by querying the order number.
    await sleep(700)
    const t = await client.findPayment(e.outTradeNo)
    assert.ok(t, 'the order reached the sandbox')
    assert.equal(t.outTradeNo, e.outTradeNo)
  })

  it('generate, store, then call: the stored number finds the order after an abort', async () => {
    const outTradeNo = generateOutTradeNo()
    const stored = [outTradeNo] // the merchant's database, before anything is sent
    sandbox.injectFault({ kind: 'delay', ms: 400, count: 1 })
    const e = await rejection(client.wechatQr({ amount: 450, outTradeNo }, { signal: AbortSignal.timeout(100) }))
    assert.ok(['AbortError', 'TimeoutError'].includes(e.name), e.name)
    assert.equal(e.outTradeNo, stored[0])
    await sleep(500)
    const t = await client.findPayment(stored[0])
    assert.equal(t.txamt, 450)
  })

  it('a signal that never fires changes nothing; it works on every operation', async () => {
    const { signal } = new AbortController()
    const p = await client.wechatQr({ amount: 300 }, { signal })
    assert.equal(p.respcd, '0000')
    assert.equal((await client.findPayment(p.outTradeNo, { signal })).syssn, p.syssn)
    assert.ok(Array.isArray((await client.query({ outTradeNo: p.outTradeNo }, { signal })).data))
    sandbox.pay(p.outTradeNo)
    assert.equal((await client.waitForPayment(p.outTradeNo, { signal, intervalMs: 10 })).state, 'succeeded')
    const r = await client.refund({ syssn: p.syssn, amount: 100, currency: 'HKD' }, { signal })
    assert.equal(r.txamt, 100)
    const q = await client.wechatQr({ amount: 200 })
    assert.equal((await client.close({ outTradeNo: q.outTradeNo, amount: 200, currency: 'HKD' }, { signal })).respcd, '0000')
  })

  it('waitForPayment stops polling when aborted', async () => {
    const p = await client.wechatQr({ amount: 300 })
    const controller = new AbortController()
    const waiting = client.waitForPayment(p.outTradeNo, { signal: controller.signal, intervalMs: 20, maxIntervalMs: 20, timeoutMs: 10000 })
    await sleep(100)
    controller.abort()
    const e = await rejection(waiting)
    assert.equal(e.name, 'AbortError')
    assert.equal(e.outTradeNo, p.outTradeNo)
    await sleep(50)
    const count = sandbox.requestCount()
    await sleep(150)
    assert.equal(sandbox.requestCount(), count, 'no more queries after the abort')
  })

  it('signal must be an AbortSignal', async () => {
    const e = await rejection(client.query({}, { signal: 'stop' }))
    assert.ok(e instanceof ValidationError)
    assert.equal(e.field, 'signal')
  })

  it('queryPages stops at an aborted signal', async () => {
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(client.queryPages({}, { signal: controller.signal }).next(), (e) => e.name === 'AbortError')
  })
})
