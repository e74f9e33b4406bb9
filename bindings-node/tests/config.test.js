'use strict'
// One configuration surface (issue 10): fromEnv with partial overrides, the sandbox's
// defaults, environment names, messages in JavaScript's terms, and an item iterator.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const { Client, Sandbox, ConfigError, RateLimitedError, AuthError } = qfpay

function withEnv (vars, fn) {
  const saved = {}
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k]
    if (vars[k] === undefined) delete process.env[k]
    else process.env[k] = vars[k]
  }
  try {
    return fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

describe('configuration', () => {
  it('fromEnv takes a partial override (clientKey alone, appCode alone)', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const env = { QFPAY_APP_CODE: sandbox.appCode, QFPAY_CLIENT_KEY: 'WRONG KEY', QFPAY_BASE_URL: sandbox.baseUrl, QFPAY_ENV: undefined }
      const good = withEnv(env, () => Client.fromEnv({ clientKey: sandbox.clientKey }))
      assert.equal((await good.wechatQr({ amount: 300 })).respcd, '0000')
      const bad = withEnv(env, () => Client.fromEnv({ maxRetries: 0 }))
      assert.ok(await rejection(bad.wechatQr({ amount: 300 })) instanceof AuthError)
      const app = withEnv({ ...env, QFPAY_CLIENT_KEY: sandbox.clientKey, QFPAY_APP_CODE: 'SOMEONE' }, () => Client.fromEnv({ appCode: sandbox.appCode }))
      assert.equal((await app.wechatQr({ amount: 300 })).respcd, '0000')
    } finally {
      await sandbox.stop()
    }
  })

  it('a client without a client key is refused', () => {
    withEnv({ QFPAY_APP_CODE: undefined, QFPAY_CLIENT_KEY: undefined, QFPAY_BASE_URL: undefined, QFPAY_ENV: undefined }, () => {
      assert.throws(() => Client.fromEnv({ appCode: 'A' }), ConfigError)
      assert.throws(() => new Client({ clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }), ConfigError)
    })
  })

  it('the sandbox rate-limits by default, as the core and QFPay do', async () => {
    const sandbox = await Sandbox.start({ rateLimit: { perSecond: 2, perMinute: 400 } })
    const defaults = await Sandbox.start()
    try {
      const c = sandbox.client({ maxRetries: 0 })
      const results = await Promise.all(Array.from({ length: 5 }, () => c.query({}).then(() => 'ok', (e) => e)))
      assert.ok(results.some((r) => r instanceof RateLimitedError), 'rate limit applies')
      // The default: on (100/s), so 150 queries at once see a 429.
      const d = defaults.client({ maxRetries: 0 })
      const many = await Promise.all(Array.from({ length: 150 }, () => d.query({}).then(() => 'ok', (e) => e)))
      assert.ok(many.some((r) => r instanceof RateLimitedError), 'the default sandbox rate-limits')
    } finally {
      await sandbox.stop()
      await defaults.stop()
    }
  })

  it('errors speak JavaScript: no Rust paths', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const c = sandbox.client({ clientKey: 'WRONG', maxRetries: 0 })
      const e = await rejection(c.wechatQr({ amount: 300 }))
      assert.ok(e instanceof AuthError)
      assert.doesNotMatch(e.message, /::/, e.message)
      assert.match(e.message, /debugStringToSign\(params\)/, e.message)
    } finally {
      await sandbox.stop()
    }
  })

  it('queryItems and queryPages().items() iterate transactions across pages', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const c = sandbox.client()
      const numbers = []
      for (let i = 0; i < 5; i++) numbers.push((await c.wechatQr({ amount: 800 + i })).outTradeNo)
      const items = []
      for await (const t of c.queryItems({ outTradeNo: numbers, pageSize: 2 })) items.push(t)
      assert.deepEqual(new Set(items.map((t) => t.outTradeNo)), new Set(numbers))
      assert.equal(items.length, 5)
      const again = []
      for await (const t of c.queryPages({ outTradeNo: numbers, pageSize: 5 }).items()) again.push(t.outTradeNo)
      assert.equal(again.length, 5)
      const pages = []
      for await (const p of c.queryPages({ outTradeNo: numbers, pageSize: 5 })) pages.push(p.data.length)
      assert.deepEqual(pages, [5], 'no trailing empty page')
    } finally {
      await sandbox.stop()
    }
  })
})
