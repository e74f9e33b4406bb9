'use strict'
// Logging and hooks (issue 12): the core's events reach a `logger` and `client.on(kind, fn)`,
// with the fields; listeners never break a call; the client key never appears.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { qfpay, rejection } = require('./helpers.js')

const { Sandbox, Client, AuthError, SignatureError } = qfpay
const KINDS = ['request', 'response', 'retry', 'reconcile', 'status_unknown', 'cancelled']
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function recorder (client) {
  const events = []
  for (const kind of KINDS) client.on(kind, (e) => events.push(e))
  return events
}

// Events arrive through a threadsafe function: give them a turn of the event loop.
const settle = () => sleep(30)

describe('logging and hooks', () => {
  let sandbox
  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false })
  })
  after(() => sandbox.stop())

  it('a payment retried after a 429: request, response 429, retry, request, response', async () => {
    const client = sandbox.client({ maxRetries: 1, retryBaseDelayMs: 10, retryMaxDelayMs: 20 })
    const events = recorder(client)
    sandbox.injectFault({ kind: 'http_status', status: 429, count: 1 })
    const p = await client.wechatQr({ amount: 300 })
    await settle()
    assert.deepEqual(events.map((e) => e.kind), ['request', 'response', 'retry', 'request', 'response'])
    for (const e of events) {
      assert.equal(e.endpoint, '/trade/v1/payment')
      assert.equal(e.outTradeNo, p.outTradeNo)
      assert.equal(typeof e.elapsedMs, 'number')
      assert.equal(typeof e.message, 'string')
    }
    assert.deepEqual(events.map((e) => e.attempt), [1, 1, 1, 2, 2])
    assert.equal(events[1].httpStatus, 429)
    assert.equal(events[2].decision, 'retry')
    assert.equal(events[2].level, 'info')
    assert.equal(events[0].level, 'debug')
    assert.equal(events[4].httpStatus, 200)
    assert.equal(events[4].respcd, '0000')
  })

  it('a payment reconciled after a dropped answer: a reconcile event naming the order', async () => {
    const client = sandbox.client({ maxRetries: 0, reconcileTimeoutMs: 3000, retryBaseDelayMs: 10, retryMaxDelayMs: 20 })
    const events = recorder(client)
    sandbox.injectFault({ kind: 'drop', count: 1 })
    const outTradeNo = qfpay.generateOutTradeNo()
    const r = await client.wechatQr({ amount: 300, outTradeNo }).then((p) => p, (e) => e)
    await settle()
    const reconcile = events.filter((e) => e.kind === 'reconcile')
    assert.ok(reconcile.length >= 1, events.map((e) => e.kind).join(','))
    assert.equal(reconcile[0].outTradeNo, outTradeNo)
    assert.equal(reconcile[0].level, 'warn')
    assert.ok(reconcile[0].decision, 'says what it decided')
    assert.ok(events.some((e) => e.endpoint === '/trade/v1/query'), 'queried the order')
    if (r instanceof Error) assert.equal(r.outTradeNo, outTradeNo)
  })

  it('a logger gets the events at its level (console-style and pino-style calls)', async () => {
    const lines = []
    const consoleLike = { debug: (...a) => lines.push(['debug', ...a]), info: (...a) => lines.push(['info', ...a]), warn: (...a) => lines.push(['warn', ...a]), error: (...a) => lines.push(['error', ...a]) }
    const client = sandbox.client({ logger: consoleLike, logLevel: 'debug', maxRetries: 1, retryBaseDelayMs: 10 })
    sandbox.injectFault({ kind: 'http_status', status: 429, count: 1 })
    const p = await client.wechatQr({ amount: 300 })
    await settle()
    assert.ok(lines.some(([level, msg, f]) => level === 'info' && typeof msg === 'string' && f.decision === 'retry' && f.outTradeNo === p.outTradeNo), JSON.stringify(lines))
    assert.ok(lines.some(([level]) => level === 'debug'))

    const pinoLines = []
    const pinoLike = { level: 'info', child () { return this }, bindings: () => ({}), trace () {}, debug: (...a) => pinoLines.push(['debug', ...a]), info: (...a) => pinoLines.push(['info', ...a]), warn: (...a) => pinoLines.push(['warn', ...a]), error () {} }
    const c2 = sandbox.client({ logger: pinoLike, maxRetries: 1, retryBaseDelayMs: 10 })
    sandbox.injectFault({ kind: 'http_status', status: 429, count: 1 })
    await c2.wechatQr({ amount: 300 })
    await settle()
    assert.equal(pinoLines.filter(([l]) => l === 'debug').length, 0, 'the logger\'s own level (info) is respected')
    const [, fields, msg] = pinoLines.find(([l]) => l === 'info')
    assert.equal(fields.decision, 'retry')
    assert.equal(typeof msg, 'string')
  })

  it('listeners and loggers that throw never break a call', async () => {
    const angry = { debug () { throw new Error('logger') }, info () { throw new Error('logger') }, warn () { throw new Error('logger') }, error () { throw new Error('logger') } }
    const client = sandbox.client({ logger: angry, logLevel: 'trace' })
    client.on('request', () => { throw new Error('listener') })
    client.on('response', async () => { throw new Error('async listener') })
    let later = 0
    client.on('response', () => { later++ })
    const p = await client.wechatQr({ amount: 300 })
    assert.equal(p.respcd, '0000')
    await settle()
    assert.equal(later, 1, 'the other listeners still ran')
    const fn = () => {}
    client.on('retry', fn).off('retry', fn)
  })

  it('a cancelled payment (AbortSignal after sending) emits a cancelled warning naming the order', async () => {
    const client = sandbox.client({ maxRetries: 0 })
    const events = recorder(client)
    await client.query({})
    sandbox.injectFault({ kind: 'delay', ms: 400, count: 1 })
    const controller = new AbortController()
    const call = client.wechatQr({ amount: 300 }, { signal: controller.signal })
    await sleep(100)
    controller.abort()
    const e = await rejection(call)
    assert.equal(e.name, 'AbortError')
    await settle()
    const cancelled = events.filter((ev) => ev.kind === 'cancelled')
    assert.equal(cancelled.length, 1, events.map((ev) => ev.kind).join(','))
    assert.equal(cancelled[0].outTradeNo, e.outTradeNo)
    assert.equal(cancelled[0].level, 'warn')
    await sleep(400)
  })

  it('at the most verbose level the client key appears nowhere (payment, 1108, notification failure)', async () => {
    const WRONG = 'WRONGKEY-0123456789abcdef-WRONGKEY'
    const captured = []
    const capture = (level) => (...args) => captured.push(JSON.stringify([level, ...args]))
    const logger = { trace: capture('trace'), debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') }
    const good = sandbox.client({ logger, logLevel: 'trace' })
    const bad = sandbox.client({ logger, logLevel: 'trace', clientKey: WRONG, maxRetries: 0 })
    for (const c of [good, bad]) for (const kind of KINDS) c.on(kind, (e) => captured.push(JSON.stringify(e)))
    await good.wechatQr({ amount: 300 })
    await good.createPayment({ amount: 250, currency: 'HKD', payType: '800208', authCode: '134567890123456789' })
    const e1108 = await rejection(bad.wechatQr({ amount: 300 }))
    assert.ok(e1108 instanceof AuthError)
    captured.push(JSON.stringify({ message: e1108.message, ...e1108 }))
    const body = '{"notify_type":"payment","status":"1","out_trade_no":"X","txamt":"1"}'
    try {
      qfpay.verifyNotification(body, qfpay.notificationSignature(body, WRONG), sandbox.clientKey)
      assert.fail('verified')
    } catch (e) {
      assert.ok(e instanceof SignatureError)
      captured.push(JSON.stringify({ message: e.message, stack: e.stack, ...e }))
    }
    await settle()
    const text = captured.join('\n')
    assert.ok(captured.length > 10, `${captured.length} records`)
    assert.ok(/"body"/.test(text), 'bodies are logged at trace')
    assert.ok(!text.includes(sandbox.clientKey), 'the client key leaked')
    assert.ok(!text.includes(WRONG), 'the wrong key leaked')
    assert.ok(!text.includes('134567890123456789'), 'auth_code in clear')
  })

  it('configuration warnings reach the logger', () => {
    const warnings = []
    const logger = { debug () {}, info () {}, warn: (m) => warnings.push(m), error () {} }
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { QFPAY_APP_CODE: 'A', QFPAY_CLIENT_KEY: 'K', QFPAY_ENV: 'production', QFPAY_BASE_URL: 'http://127.0.0.1:9' })
      Client.fromEnv({ logger })
    } finally {
      for (const k of ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY', 'QFPAY_ENV', 'QFPAY_BASE_URL']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
    }
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], /QFPAY_ENV/)
    assert.match(warnings[0], /QFPAY_BASE_URL/)
  })

  for (const env of [{ DEBUG: 'qfpay' }, { QFPAY_LOG: 'debug' }]) {
    it(`${Object.keys(env)[0]}=${Object.values(env)[0]} enables a default logger on stderr`, () => {
      const script = `
        const { Sandbox } = require(${JSON.stringify(path.resolve(__dirname, '..'))})
        ;(async () => {
          const sandbox = await Sandbox.start({ rateLimit: false })
          await sandbox.client().wechatQr({ amount: 300 })
          await new Promise((r) => setTimeout(r, 50))
          await sandbox.stop()
        })()`
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, DEBUG: '', QFPAY_LOG: '', ...env }, timeout: 30000 })
      assert.equal(r.status, 0, r.stderr)
      assert.match(r.stderr, /^qfpay debug .*"endpoint":"\/trade\/v1\/payment"/m)
    })
  }

  // QFPAY_LOG (issue 22): the core's one rule, the same in every language. A filter turns on the
  // default stderr logger at its level, filtered per event by target; a value that cannot be
  // used means no logging and one Node warning (code QFPAY_LOG) that does not quote the value,
  // never a failed call.
  describe('QFPAY_LOG', () => {
    // A child process: two clients (sandbox.client and fromEnv), a payment retried after a 429,
    // a reconciled one; prints the warnings it received as JSON on stdout.
    const script = `
      const { Sandbox, Client } = require(${JSON.stringify(path.resolve(__dirname, '..'))})
      const warnings = []
      process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: w.message }))
      ;(async () => {
        const sandbox = await Sandbox.start({ rateLimit: false })
        const c = sandbox.client({ maxRetries: 1, retryBaseDelayMs: 10, retryMaxDelayMs: 20, reconcileTimeoutMs: 2000 })
        sandbox.injectFault({ kind: 'http_status', status: 429, count: 1 })
        const p = await c.wechatQr({ amount: 300 })
        sandbox.injectFault({ kind: 'drop', count: 1 })
        await c.wechatQr({ amount: 300 }).catch(() => {})
        process.env.QFPAY_APP_CODE = sandbox.appCode
        process.env.QFPAY_CLIENT_KEY = sandbox.clientKey
        process.env.QFPAY_BASE_URL = sandbox.baseUrl
        const e = Client.fromEnv()
        await e.query({})
        new Client({ appCode: 'A', clientKey: 'K', baseUrl: sandbox.baseUrl })
        await new Promise((r) => setTimeout(r, 100))
        await sandbox.stop()
        console.log(JSON.stringify({ paid: p.respcd === '0000', warnings }))
      })()`
    function run (env) {
      const r = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, DEBUG: '', QFPAY_LOG: '', QFPAY_ENV: '', QFPAY_BASE_URL: '', QFPAY_APP_CODE: '', QFPAY_CLIENT_KEY: '', ...env },
        timeout: 30000
      })
      assert.equal(r.status, 0, r.stderr)
      const out = JSON.parse(r.stdout.trim().split('\n').pop())
      assert.equal(out.paid, true, 'the payment went through')
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('qfpay '))
      const level = (l) => l.split(' ')[1]
      const kind = (l) => l.split(' ')[2]
      return { stderr: r.stderr, warnings: out.warnings, lines, levels: new Set(lines.map(level)), kinds: new Set(lines.map(kind)) }
    }

    for (const value of ['qfpay=debug', 'debug', 'DEBUG', 'qfpay', 'qfpay=debug,qfpay::reconcile=warn']) {
      it(`${value}: every event from debug up, no warning`, () => {
        const r = run({ QFPAY_LOG: value })
        assert.deepEqual(r.warnings, [])
        for (const k of ['request', 'response', 'retry', 'reconcile']) assert.ok(r.kinds.has(k), `${k} logged: ${r.lines.join('\n')}`)
        if (value === 'qfpay') {
          // A target alone is that target at trace: bodies too.
          assert.match(r.stderr, /^qfpay trace request .*"endpoint":"\/trade\/v1\/payment".*"body"/m)
        } else {
          assert.ok(!r.levels.has('trace'), 'no bodies below trace')
          assert.match(r.stderr, /^qfpay debug request .*"endpoint":"\/trade\/v1\/payment"/m)
        }
      })
    }

    it('qfpay::http=trace: HTTP events with bodies, no reconciliation events', () => {
      const r = run({ QFPAY_LOG: 'qfpay::http=trace' })
      assert.deepEqual(r.warnings, [])
      assert.ok(r.lines.some((l) => l.startsWith('qfpay trace request') && l.includes('"body"')), r.lines.join('\n'))
      assert.ok(r.kinds.has('retry'))
      assert.ok(!r.kinds.has('reconcile'), 'qfpay::reconcile is not on')
    })

    it('qfpay::reconcile=trace: reconciliation only, no HTTP events and no bodies', () => {
      const r = run({ QFPAY_LOG: 'qfpay::reconcile=trace' })
      assert.deepEqual(r.warnings, [])
      assert.ok(r.kinds.has('reconcile'), r.lines.join('\n'))
      for (const k of ['request', 'response', 'retry']) assert.ok(!r.kinds.has(k), `${k} logged`)
      assert.ok(!r.stderr.includes('"body"'))
    })

    it('qfpay=info and warn: the level holds', () => {
      const info = run({ QFPAY_LOG: 'qfpay=info' })
      assert.ok(info.kinds.has('retry') && info.kinds.has('reconcile'))
      assert.ok(!info.levels.has('debug'))
      const warn = run({ QFPAY_LOG: 'warning' })
      assert.deepEqual([...warn.kinds].sort(), ['reconcile', 'status_unknown'])
    })

    for (const value of ['off', 'qfpay=off', ' ', 'hyper=debug']) {
      it(`${JSON.stringify(value)}: no logging, no warning`, () => {
        const r = run({ QFPAY_LOG: value })
        assert.deepEqual(r.lines, [])
        assert.deepEqual(r.warnings, [])
      })
    }

    for (const value of ['qfpay=nonsense[[', 'debug,SECRETVALUE123=', 'SECRET VALUE 123', '=debug', 'qfpay=loud']) {
      it(`${JSON.stringify(value)}: no logging, exactly one warning (code QFPAY_LOG) not quoting it, the calls work`, () => {
        const r = run({ QFPAY_LOG: value })
        assert.deepEqual(r.lines, [], 'nothing logged')
        assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings))
        assert.equal(r.warnings[0].code, 'QFPAY_LOG')
        assert.match(r.warnings[0].message, /QFPAY_LOG: the \d+(st|nd|rd|th) directive .*logging stays off/)
        assert.equal(r.stderr.split('[QFPAY_LOG]').length - 1, 1, r.stderr)
        for (const part of ['nonsense', 'SECRET', 'VALUE', 'loud']) assert.ok(!r.stderr.includes(part) && !r.warnings[0].message.includes(part), `quoted ${part}`)
      })
    }

    it('an unusable QFPAY_LOG with DEBUG=qfpay: still no logging, one warning', () => {
      const r = run({ QFPAY_LOG: 'qfpay=nonsense', DEBUG: 'qfpay' })
      assert.deepEqual(r.lines, [])
      assert.equal(r.warnings.length, 1)
    })

    it('DEBUG=qfpay without QFPAY_LOG logs at debug, as before', () => {
      const r = run({ DEBUG: 'qfpay' })
      assert.ok(r.kinds.has('request') && r.levels.has('debug'))
      assert.deepEqual(r.warnings, [])
    })
  })
})
