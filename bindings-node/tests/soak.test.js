'use strict'
// A small fault soak (issue 9): faults in ~20% of requests, 32 payments in flight, a few
// hundred payments, checked against the sandbox's own orders: 0 doubled, 0 lost, 0 wrong,
// and every status-unknown names its order.
const { it } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay } = require('./helpers.js')

const { Sandbox, StatusUnknownError, NetworkError } = qfpay

const TOTAL = 300
const IN_FLIGHT = 32

// A small deterministic generator, so a failure can be replayed.
function rng (seed) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const FAULTS = [
  { kind: 'drop' },
  { kind: 'delay', ms: 150 },
  { kind: 'http_status', status: 500 },
  { kind: 'http_status', status: 503 },
  { kind: 'http_status', status: 429 },
  { kind: 'malformed' }
]

it(`fault soak: ${TOTAL} payments, ${IN_FLIGHT} in flight, ~20% faults`, async () => {
  const sandbox = await Sandbox.start({ rateLimit: false })
  try {
    const client = sandbox.client({ maxRetries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 20, reconcileTimeoutMs: 1500, timeoutMs: 3000 })
    const random = rng(20261201)
    const expected = new Map() // outTradeNo → amount: the merchant's own store, written before the call
    const outcomes = { ok: [], unknown: [], failed: [] }
    let next = 0
    async function worker () {
      while (next < TOTAL) {
        const i = next++
        if (random() < 0.2) sandbox.injectFault({ ...FAULTS[Math.floor(random() * FAULTS.length)], count: 1 })
        const outTradeNo = qfpay.generateOutTradeNo()
        const amount = 2000 + i
        expected.set(outTradeNo, amount)
        try {
          const p = await client.wechatQr({ amount, outTradeNo })
          assert.equal(p.outTradeNo, outTradeNo)
          assert.equal(p.txamt, amount)
          outcomes.ok.push(outTradeNo)
        } catch (e) {
          assert.equal(e.outTradeNo, outTradeNo, `every error names its order: ${e}`)
          if (e instanceof StatusUnknownError) outcomes.unknown.push(outTradeNo)
          else outcomes.failed.push({ outTradeNo, error: e })
        }
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker))

    const orders = sandbox.orders().filter((o) => o.kind === 'payment')
    const byNumber = new Map()
    for (const o of orders) byNumber.set(o.outTradeNo, [...(byNumber.get(o.outTradeNo) || []), o])
    const doubled = [...byNumber.values()].filter((l) => l.length > 1)
    const lost = outcomes.ok.filter((n) => !byNumber.has(n))
    const wrong = orders.filter((o) => expected.get(o.outTradeNo) !== o.txamt)
    const sentless = outcomes.failed.filter(({ outTradeNo, error }) => error instanceof NetworkError && error.sent === false && byNumber.has(outTradeNo))
    assert.equal(doubled.length, 0, 'doubled')
    assert.equal(lost.length, 0, 'lost')
    assert.equal(wrong.length, 0, 'wrong (an amount differs, or an order nobody asked for)')
    assert.equal(sentless.length, 0, 'an error said "not sent" but the order exists')
    assert.equal(outcomes.ok.length + outcomes.unknown.length + outcomes.failed.length, TOTAL)
    assert.ok(outcomes.ok.length > TOTAL * 0.7, `only ${outcomes.ok.length} succeeded`)
    // Every status-unknown names an order the caller holds; query it to learn the outcome.
    for (const n of outcomes.unknown) assert.ok(expected.has(n))
    console.log(`soak: ${outcomes.ok.length} ok, ${outcomes.unknown.length} status unknown, ${outcomes.failed.length} failed; ${orders.length} orders in the sandbox`)
  } finally {
    await sandbox.stop()
  }
})
