'use strict'
// One configuration surface (issue 10): fromEnv with partial overrides, the sandbox's
// defaults, environment names, messages in JavaScript's terms, and an item iterator.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { qfpay, rejection, withEnv } = require('./helpers.js')

const { Client, Sandbox, ConfigError, ValidationError, RateLimitedError, AuthError } = qfpay
const SURFACE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'tests', 'surface.json'), 'utf8'))

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

// Every client option the core names (tests/surface.json), then the binding's own options: an
// input it refuses, the option as JavaScript spells it (camelCase, durations in ms with `Ms`) and
// the error class. A duration the conversion refuses (negative, NaN, absurd) is a ValidationError
// before the core sees it; a rule the core checks (zero timeout, ±14 h, ...) is a ConfigError.
const CONN = { appCode: 'A', clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }
const CLIENT_OPTIONS = [
  ['app_code', 'appCode', ConfigError, { clientKey: 'K', baseUrl: 'http://127.0.0.1:9' }],
  ['app_code', 'appCode', ConfigError, { ...CONN, appCode: 'A B' }],
  ['app_code', 'appCode', ConfigError, { ...CONN, appCode: 'A'.repeat(65) }],
  ['client_key', 'clientKey', ConfigError, { appCode: 'A', baseUrl: 'http://127.0.0.1:9' }],
  ['environment', 'environment', ConfigError, { appCode: 'A', clientKey: 'K', environment: 'mars' }],
  ['environment', 'environment', ConfigError, { appCode: 'A', clientKey: 'K', environment: 'sandbox' }],
  ['environment', 'environment', ConfigError, { appCode: 'A', clientKey: 'K', environment: 'live' }],
  ['base_url', 'baseUrl', ConfigError, { ...CONN, baseUrl: 'ftp://x' }],
  ['base_url', 'baseUrl', ConfigError, { ...CONN, baseUrl: 'http://' }],
  ['mchid', 'mchid', ConfigError, { ...CONN, mchid: 'M'.repeat(17) }],
  ['sign_type', 'signType', ConfigError, { ...CONN, signType: 'sha1' }],
  ['timeout', 'timeoutMs', ConfigError, { ...CONN, timeoutMs: 0 }],
  ['timeout', 'timeoutMs', ValidationError, { ...CONN, timeoutMs: -1 }],
  ['connect_timeout', 'connectTimeoutMs', ConfigError, { ...CONN, connectTimeoutMs: 0 }],
  ['connect_timeout', 'connectTimeoutMs', ValidationError, { ...CONN, connectTimeoutMs: NaN }],
  ['max_retries', 'maxRetries', ValidationError, { ...CONN, maxRetries: -1 }],
  ['reconcile_timeout', 'reconcileTimeoutMs', ValidationError, { ...CONN, reconcileTimeoutMs: 1e300 }],
  ['retry_base_delay', 'retryBaseDelayMs', ValidationError, { ...CONN, retryBaseDelayMs: -1 }],
  ['retry_max_delay', 'retryMaxDelayMs', ValidationError, { ...CONN, retryMaxDelayMs: Infinity }],
  ['utc_offset_seconds', 'utcOffsetSeconds', ConfigError, { ...CONN, utcOffsetSeconds: 14 * 3600 + 1 }],
  ['utc_offset_seconds', 'utcOffsetSeconds', ConfigError, { ...CONN, utcOffsetSeconds: -1e12 }],
  ['proxy', 'proxy', ConfigError, { appCode: 'A', clientKey: 'K', environment: 'production', proxy: 'not a proxy' }],
  ['proxy', 'proxy', ConfigError, { appCode: 'A', clientKey: 'K', environment: 'production', proxy: 'socks5://proxy:1080' }]
]
const CLEAN_ENV = { QFPAY_APP_CODE: undefined, QFPAY_CLIENT_KEY: undefined, QFPAY_ENV: undefined, QFPAY_BASE_URL: undefined, QFPAY_MCHID: undefined, QFPAY_SIGN_TYPE: undefined, QFPAY_PROXY: undefined }

/** `e` names `js` as its field, its message says `js` where the core says `snake`. */
function namesOption (e, snake, js, Cls, label) {
  assert.ok(e instanceof Cls, `${label}: expected ${Cls.name}, got ${e && e.constructor.name}: ${e && e.message}`)
  assert.equal(e.field, js, `${label}: ${e.message}`)
  if (Cls === ConfigError) {
    assert.equal(e.code, 'config', label)
    assert.ok(e.message.startsWith(`configuration error: ${js} `), `${label}: ${e.message}`)
    assert.equal(e.message, `configuration error: ${js} ${e.rule}`, label)
  } else {
    assert.ok(e.message.startsWith(`invalid ${js}: `), `${label}: ${e.message}`)
  }
  if (snake !== js) {
    assert.doesNotMatch(e.message, new RegExp(`(?<![A-Za-z0-9_])${snake}(?![A-Za-z0-9_])`), `${label}: ${e.message}`)
  }
}

function thrown (fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('did not throw')
}

describe('configuration errors name the option as JavaScript spells it', () => {
  it('covers every client option the core names', () => {
    assert.deepEqual(new Set(CLIENT_OPTIONS.map(([snake]) => snake)), new Set(SURFACE.client.options))
  })

  for (const [snake, js, Cls, options] of CLIENT_OPTIONS) {
    const label = `${js}: ${JSON.stringify(options, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`
    it(label, () => withEnv(CLEAN_ENV, () => {
      namesOption(thrown(() => new Client(options)), snake, js, Cls, label)
      // The same through fromEnv overrides.
      namesOption(thrown(() => Client.fromEnv(options)), snake, js, Cls, `fromEnv ${label}`)
    }))
  }

  it('from the environment too (QFPAY_SIGN_TYPE, QFPAY_ENV, QFPAY_PROXY)', () => {
    for (const [snake, js, env] of [
      ['sign_type', 'signType', { QFPAY_SIGN_TYPE: 'sha1' }],
      ['environment', 'environment', { QFPAY_ENV: 'mars' }],
      ['proxy', 'proxy', { QFPAY_PROXY: 'not a proxy' }]
    ]) {
      const e = withEnv({ ...CLEAN_ENV, QFPAY_APP_CODE: 'A', QFPAY_CLIENT_KEY: 'K', QFPAY_ENV: 'production', ...env }, () => thrown(() => Client.fromEnv()))
      namesOption(e, snake, js, ConfigError, JSON.stringify(env))
    }
  })

  it('an unknown option is named as written, never as a core name would be spelt', () => {
    for (const typo of ['timeOut', 'timeout', 'app_code', 'connect_timeout_ms']) {
      const e = thrown(() => new Client({ ...CONN, [typo]: 5 }))
      assert.ok(e instanceof ValidationError, `${typo}: ${e}`)
      assert.equal(e.field, typo, e.message)
      assert.ok(e.message.startsWith(`invalid ${typo}: is not an option`), e.message)
    }
  })

  it("the binding's own options: sandbox, call and wait options, verifyNotification's key", async () => {
    const own = [
      ['port', 'port', ConfigError, { port: 70000 }],
      ['merchants', 'merchants', ValidationError, { merchants: 'A' }],
      ['rate_limit', 'rateLimit', ValidationError, { rateLimit: 5 }],
      ['pending_queries', 'pendingQueries', ValidationError, { pendingQueries: -1 }],
      ['slow_response', 'slowResponseMs', ValidationError, { slowResponseMs: -1 }],
      ['slow_response', 'slowResponse', ValidationError, { slowResponse: 5 }]
    ]
    for (const [snake, js, Cls, options] of own) {
      namesOption(await rejection(Sandbox.start(options)), snake, js, Cls, `Sandbox.start ${JSON.stringify(options)}`)
    }
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const c = sandbox.client({ maxRetries: 0 })
      namesOption(await rejection(c.query({}, { timeoutMs: 0 })), 'timeout', 'timeoutMs', ValidationError, 'call timeoutMs 0')
      namesOption(await rejection(c.query({}, { maxRetries: -1 })), 'max_retries', 'maxRetries', ValidationError, 'call maxRetries -1')
      namesOption(await rejection(c.waitForPayment('qfX', { intervalMs: NaN })), 'interval', 'intervalMs', ValidationError, 'wait intervalMs')
      namesOption(await rejection(c.waitForPayment('qfX', { maxIntervalMs: -1 })), 'max_interval', 'maxIntervalMs', ValidationError, 'wait maxIntervalMs')
    } finally {
      await sandbox.stop()
    }
    const e = thrown(() => qfpay.verifyNotification('{}', 'SIG', ''))
    namesOption(e, 'client_key', 'clientKey', ConfigError, 'verifyNotification empty key')
    assert.equal(e.message, 'configuration error: clientKey is empty')
  })
})
