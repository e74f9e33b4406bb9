'use strict'
// The client key never shows (issue 22): it is passed to every operation and option that takes
// it, and misplaced into others (environment, proxy, mchid, appCode, baseUrl, goodsName, ...);
// every error and rejection is dumped every way Node has (util.inspect with hidden fields,
// JSON, own property names, stack, String, the cause chain), with the logger and hooks at
// trace and the client objects inspected, and the key is found 0 times.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const path = require('node:path')
const util = require('node:util')
const { spawnSync } = require('node:child_process')
const { qfpay, withEnv } = require('./helpers.js')

const { Client, Sandbox, QfPayError } = qfpay

const KEY = `QFPAYSECRET${crypto.randomBytes(10).toString('hex')}`
const WRONG = `WRONGSECRET${crypto.randomBytes(10).toString('hex')}`
const KINDS = ['request', 'response', 'retry', 'reconcile', 'status_unknown', 'cancelled']
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Every form the key could take in a dump: the text, and its bytes as Buffer/JSON show them.
function forms (key) {
  const bytes = [...Buffer.from(key).subarray(0, 12)]
  return [
    key,
    key.slice(0, 16),
    bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '), // <Buffer 51 46 ...>
    bytes.map((b) => b.toString(16).padStart(2, '0')).join(''),
    bytes.join(','), // {"type":"Buffer","data":[81,70,...]}
    Buffer.from(key).toString('base64').slice(0, 16)
  ]
}

function safeJson (v) {
  const seen = new WeakSet()
  try {
    return JSON.stringify(v, (k, x) => {
      if (typeof x === 'bigint') return `${x}n`
      if (typeof x === 'symbol' || typeof x === 'function') return String(x)
      if (x !== null && typeof x === 'object') {
        if (seen.has(x)) return '[circular]'
        seen.add(x)
      }
      return x
    })
  } catch (e) {
    return `[JSON failed: ${e.message}]`
  }
}

// Every way Node shows an error (and its causes).
function dumpError (e, out, depth = 0) {
  if (depth > 10) return
  out.push(util.inspect(e, { showHidden: true, depth: Infinity, getters: true }))
  out.push(safeJson(e))
  if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
    const own = {}
    for (const k of Object.getOwnPropertyNames(e)) {
      try {
        own[k] = e[k]
      } catch (_) {}
    }
    out.push(safeJson(own))
    for (const s of Object.getOwnPropertySymbols(e)) out.push(util.inspect(e[s], { showHidden: true, depth: Infinity }))
    out.push(String(e.stack), String(e.message))
    if (e.cause !== undefined) dumpError(e.cause, out, depth + 1)
    if (Array.isArray(e.errors)) for (const inner of e.errors) dumpError(inner, out, depth + 1)
  }
  try {
    out.push(String(e))
  } catch (_) {}
}

// Where any form of `keys` appears in `dumps` (each hit names the record before it: `label:`).
function found (dumps, keys) {
  const hits = []
  let label = ''
  for (const d of dumps) {
    if (/^[^\n]{1,80}:$/.test(d)) label = d
    for (const key of keys) {
      for (const f of forms(key)) if (d.includes(f)) hits.push(`${label} ${f} in: ${d.slice(0, 300)}`)
    }
  }
  return hits
}

// Calls fn; returns the error it throws or its promise rejects with (or null).
async function failure (fn) {
  try {
    const r = fn()
    if (r && typeof r.then === 'function') await r
    return null
  } catch (e) {
    return e
  }
}

describe('the client key never shows', () => {
  let sandbox
  const dumps = []
  const errors = []
  const record = (label, e) => {
    if (e === null) return
    errors.push(label)
    dumps.push(`${label}:`)
    dumpError(e, dumps)
  }
  // A logger and listeners at trace, recording everything they are given.
  const captured = []
  const logger = Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error'].map((l) => [l, (...args) => captured.push(util.inspect([l, ...args], { showHidden: true, depth: Infinity }))]))
  const watch = (client) => {
    for (const kind of KINDS) client.on(kind, (e) => captured.push(util.inspect(e, { showHidden: true, depth: Infinity }), safeJson(e)))
    dumps.push(util.inspect(client, { showHidden: true, depth: Infinity, getters: true }), safeJson(client), String(client))
    return client
  }

  before(async () => {
    sandbox = await Sandbox.start({ rateLimit: false, merchants: [{ appCode: 'SECRECYAPP', clientKey: KEY }] })
  })
  after(() => sandbox.stop())

  it('calls with the right key, the wrong key and the key misplaced: 0 occurrences anywhere', async () => {
    const base = { baseUrl: sandbox.baseUrl, appCode: 'SECRECYAPP' }
    // The right key: successful calls, logged with bodies at trace.
    const good = watch(new Client({ ...base, clientKey: KEY, logger, logLevel: 'trace', maxRetries: 0 }))
    const paid = await good.wechatQr({ amount: 300, goodsName: 'secrecy' })
    await good.createPayment({ amount: 250, currency: 'HKD', payType: '800208', authCode: '134567890123456789' })
    sandbox.pay(paid.outTradeNo)
    const t = await good.waitForPayment(paid.outTradeNo, { timeoutMs: 2000, intervalMs: 20 })
    await good.query({ outTradeNo: paid.outTradeNo })
    await good.findPayment(paid.outTradeNo)
    const refund = await good.refund({ syssn: t.syssn, amount: 100, currency: 'HKD' })
    record('refund twice', await failure(() => good.refund({ syssn: t.syssn, amount: 100, currency: 'HKD', outTradeNo: refund.outTradeNo })))
    record('close paid', await failure(() => good.close({ outTradeNo: paid.outTradeNo, amount: 300, currency: 'HKD' })))
    record('status unknown', await failure(() => good.waitForPayment('qfNOSUCHORDER', { timeoutMs: 50, intervalMs: 20 })))
    sandbox.injectFault({ kind: 'drop', count: 5 })
    record('dropped', await failure(() => good.wechatQr({ amount: 300 }, { timeoutMs: 300 })))
    sandbox.reset()
    const controller = new AbortController()
    sandbox.injectFault({ kind: 'delay', ms: 300, count: 1 })
    const aborted = good.wechatQr({ amount: 300 }, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stop')), 50)
    record('aborted', await failure(() => aborted))
    await sleep(300)

    // The wrong key (1108 from the sandbox), through every operation.
    const bad = watch(new Client({ ...base, clientKey: WRONG, logger, logLevel: 'trace', maxRetries: 0 }))
    const sandboxBad = watch(sandbox.client({ clientKey: WRONG, logger, logLevel: 'trace', maxRetries: 0 }))
    for (const c of [bad, sandboxBad]) {
      record('wechatQr 1108', await failure(() => c.wechatQr({ amount: 300 })))
      record('createPayment 1108', await failure(() => c.createPayment({ amount: 300, currency: 'HKD', payType: '800201' })))
      record('query 1108', await failure(() => c.query({})))
      record('findPayment 1108', await failure(() => c.findPayment('qfX')))
      record('refund 1108', await failure(() => c.refund({ syssn: '20230101000300020000000001', amount: 1, currency: 'HKD' })))
      record('close 1108', await failure(() => c.close({ outTradeNo: 'qfX', amount: 1, currency: 'HKD' })))
      record('reverse 1108', await failure(() => c.reverse({ outTradeNo: 'qfX', amount: 1, currency: 'HKD' })))
      record('wait 1108', await failure(() => c.waitForPayment('qfX', { timeoutMs: 100, intervalMs: 20 })))
      record('pages 1108', await failure(async () => { for await (const p of c.queryPages({})) p.toString() }))
    }

    // The key in every option and argument that takes it, with something else wrong, and in
    // the places a key pasted by mistake could land. (Not here: an order number, which every
    // error of its call names by design, nor request fields the core quotes in its rules.)
    const env = { QFPAY_APP_CODE: undefined, QFPAY_CLIENT_KEY: KEY, QFPAY_ENV: undefined, QFPAY_BASE_URL: undefined, QFPAY_PROXY: undefined, QFPAY_MCHID: undefined, QFPAY_SIGN_TYPE: undefined }
    const attempts = {
      'no app code': () => new Client({ clientKey: KEY, baseUrl: sandbox.baseUrl }),
      'unknown environment': () => new Client({ appCode: 'A', clientKey: KEY, environment: 'mars' }),
      'bad timeout': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, timeoutMs: -1 }),
      'unknown option': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, clientkey: KEY }),
      'key as a Buffer': () => new Client({ appCode: 'A', clientKey: Buffer.from(KEY), baseUrl: sandbox.baseUrl }),
      'key in an array': () => new Client({ appCode: 'A', clientKey: [KEY], baseUrl: sandbox.baseUrl }),
      'key in an object': () => new Client({ appCode: 'A', clientKey: { key: KEY }, baseUrl: sandbox.baseUrl }),
      'key as a String object': () => new Client({ appCode: 'A', clientKey: new String(KEY), baseUrl: sandbox.baseUrl }), // eslint-disable-line no-new-wrappers
      'key with a lone surrogate': () => new Client({ appCode: 'A', clientKey: KEY + '\uD800', baseUrl: sandbox.baseUrl }),
      'key as options': () => new Client(KEY),
      'environment = key': () => new Client({ appCode: 'A', clientKey: 'K', environment: KEY }),
      'environment = key (production key)': () => new Client({ appCode: 'A', clientKey: KEY, environment: KEY }),
      'proxy = key': () => new Client({ appCode: 'A', clientKey: 'K', environment: 'production', proxy: KEY }),
      'proxy with the key as password': () => new Client({ appCode: 'A', clientKey: 'K', environment: 'production', proxy: `http://user:${KEY}@` }),
      'proxy with the key, bad port': () => new Client({ appCode: 'A', clientKey: 'K', environment: 'production', proxy: `http://user:${KEY}@proxy:99999` }),
      'proxy = Buffer of key': () => new Client({ appCode: 'A', clientKey: 'K', proxy: Buffer.from(KEY) }),
      'mchid = key': () => new Client({ appCode: 'A', clientKey: 'K', baseUrl: sandbox.baseUrl, mchid: KEY }),
      'appCode = key with a space': () => new Client({ appCode: KEY + ' x', clientKey: 'K', baseUrl: sandbox.baseUrl }),
      'appCode = key, too long': () => new Client({ appCode: KEY.repeat(5), clientKey: 'K', baseUrl: sandbox.baseUrl }),
      'appCode = Buffer of key': () => new Client({ appCode: Buffer.from(KEY), clientKey: 'K', baseUrl: sandbox.baseUrl }),
      'baseUrl = key': () => new Client({ appCode: 'A', clientKey: 'K', baseUrl: KEY }),
      'baseUrl with the key, no host': () => new Client({ appCode: 'A', clientKey: 'K', baseUrl: `http://user:${KEY}@` }),
      'baseUrl = key (key too)': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: KEY }),
      'signType = key': () => new Client({ appCode: 'A', clientKey: 'K', baseUrl: sandbox.baseUrl, signType: KEY }),
      'logLevel = key': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, logLevel: KEY }),
      'utcOffsetSeconds = key': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, utcOffsetSeconds: KEY }),
      'timeoutMs = key': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, timeoutMs: KEY }),
      'fromEnv without app code': () => withEnv(env, () => Client.fromEnv()),
      'fromEnv with a bad QFPAY_ENV': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_ENV: 'mars' }, () => Client.fromEnv()),
      'fromEnv with QFPAY_ENV = key': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_ENV: KEY }, () => Client.fromEnv()),
      'fromEnv with QFPAY_BASE_URL = key': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_BASE_URL: KEY }, () => Client.fromEnv()),
      'fromEnv with QFPAY_PROXY holding the key': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_PROXY: `http://u:${KEY}@` }, () => Client.fromEnv()),
      'fromEnv with QFPAY_SIGN_TYPE = key': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_SIGN_TYPE: KEY }, () => Client.fromEnv()),
      'fromEnv with QFPAY_MCHID = key': () => withEnv({ ...env, QFPAY_APP_CODE: 'A', QFPAY_MCHID: KEY }, () => Client.fromEnv()),
      'fromEnv overriding with a Buffer key': () => withEnv(env, () => Client.fromEnv({ appCode: 'A', clientKey: Buffer.from(KEY) })),
      'fromEnv with bad overrides': () => withEnv(env, () => Client.fromEnv({ appCode: 'A', environment: KEY })),
      'sandbox client, key misplaced': () => sandbox.client({ environment: KEY }),
      'sandbox client, key in mchid': () => sandbox.client({ mchid: KEY }),
      'sandbox merchant with a lone surrogate key': () => Sandbox.start({ merchants: [{ appCode: 'A', clientKey: KEY + '\uDC00' }] }),
      'sandbox merchant with a Buffer key': () => Sandbox.start({ merchants: [{ appCode: 'A', clientKey: Buffer.from(KEY) }] }),
      'goodsName = Buffer of key': () => good.wechatQr({ amount: 300, goodsName: Buffer.from(KEY) }),
      'goodsName = key + lone surrogate': () => good.wechatQr({ amount: 300, goodsName: KEY + '\uD800' }),
      'goodsName = key, too long': () => good.wechatQr({ amount: 300, goodsName: KEY.repeat(20) }),
      'amount = key': () => good.wechatQr({ amount: KEY }),
      'payType = key': () => good.createPayment({ amount: 300, currency: 'HKD', payType: KEY }),
      'mchid = key (request)': () => good.wechatQr({ amount: 300, mchid: KEY }),
      'notifyUrl = key': () => good.wechatQr({ amount: 300, notifyUrl: KEY }),
      'extendInfo with the key': () => good.wechatQr({ amount: 300, extendInfo: { userCreid: KEY, userTruename: 'A' } }),
      'extendInfo JSON with the key': () => good.wechatQr({ amount: 300, extendInfo: `{"user_creid":"${KEY}"` }),
      'findPayment(Buffer of key)': () => good.findPayment(Buffer.from(KEY)),
      'findPayment(key, too long)': () => good.findPayment(KEY.repeat(6)),
      'query syssn = Buffer of key': () => good.query({ syssn: Buffer.from(KEY) }),
      'refund syssn = key, too long': () => good.refund({ syssn: KEY.repeat(6), amount: 1, currency: 'HKD' }),
      'call option = key': () => good.query({}, { timeoutMs: KEY }),
      'call options = key': () => good.query({}, KEY),
      'wait option = key': () => good.waitForPayment('qfX', { intervalMs: KEY }),
      'signal = key': () => good.query({}, { signal: KEY }),
      'on(key)': () => good.on(KEY, () => {}),
      'logger = key': () => new Client({ appCode: 'A', clientKey: KEY, baseUrl: sandbox.baseUrl, logger: KEY })
    }
    for (const [label, fn] of Object.entries(attempts)) {
      const e = await failure(fn)
      assert.ok(e !== null, `${label}: accepted`)
      assert.ok(e instanceof QfPayError, `${label}: ${e && e.constructor.name}: ${e && e.message}`)
      record(label, e)
    }

    // Notifications and the sign helpers.
    const body = '{"notify_type":"payment","status":"1","out_trade_no":"X","txamt":"1","txcurrcd":"HKD","syssn":"S"}'
    const signed = (b, k = KEY) => qfpay.notificationSignature(b, k)
    const helpers = {
      'verify with a wrong signature': () => qfpay.verifyNotification(body, signed(body, WRONG), KEY),
      'verify with the key as signature': () => qfpay.verifyNotification(body, KEY, KEY),
      'verify with no signature': () => qfpay.verifyNotification(body, undefined, KEY),
      'verify a parsed body': () => qfpay.verifyNotification(JSON.parse(body), signed(body), KEY),
      'verify a body that is not JSON': () => qfpay.verifyNotification('not json', signed('not json'), KEY),
      'verify a body that is the key': () => qfpay.verifyNotification(KEY, signed(KEY), KEY),
      'verify a JSON body that is not a notification': () => qfpay.verifyNotification('{"a":1}', signed('{"a":1}'), KEY),
      'verify an array body': () => qfpay.verifyNotification('[1]', signed('[1]'), KEY),
      'verify with a Buffer key': () => qfpay.verifyNotification(body, signed(body), Buffer.from(KEY)),
      'verify with a numeric signature': () => qfpay.verifyNotification(body, 123, KEY),
      'verify with the key as a Buffer signature': () => qfpay.verifyNotification(body, Buffer.from(KEY), KEY),
      'verify with key and body swapped': () => qfpay.verifyNotification(body, signed(body), { body }),
      'notificationSignature with a Buffer key': () => qfpay.notificationSignature(body, Buffer.from(KEY)),
      'notificationSignature of an object': () => qfpay.notificationSignature({ body }, KEY),
      'sign with a fraction': () => qfpay.sign({ txamt: 1.5 }, KEY),
      'sign with a NUL': () => qfpay.sign({ a: 'x\u0000y' }, KEY),
      'sign with an object value': () => qfpay.sign({ a: { b: 1 } }, KEY),
      'sign with a Buffer value': () => qfpay.sign({ a: Buffer.from(KEY) }, KEY),
      'sign with signType = key': () => qfpay.sign({ a: '1' }, 'K', KEY),
      'sign with key and signType swapped': () => qfpay.sign({ a: '1' }, 'md5', KEY),
      'sign with a Buffer key': () => qfpay.sign({ a: '1' }, Buffer.from(KEY)),
      'sign with params = key': () => qfpay.sign(KEY, KEY),
      'stringToSign of a BigInt': () => qfpay.stringToSign({ a: 5n }),
      'qr of a Buffer key': () => qfpay.qr.svg(Buffer.from(KEY))
    }
    for (const [label, fn] of Object.entries(helpers)) {
      const e = await failure(fn)
      assert.ok(e !== null, `${label}: accepted`)
      assert.ok(e instanceof QfPayError, `${label}: ${e && e.constructor.name}: ${e && e.message}`)
      record(label, e)
    }

    await sleep(50)
    dumps.push(...captured)
    assert.ok(errors.length > 90, `${errors.length} errors`)
    assert.ok(captured.some((c) => c.includes('body')), 'bodies were logged at trace')
    const hits = found(dumps, [KEY, WRONG])
    assert.equal(hits.length, 0, `the key appeared ${hits.length} times:\n${hits.join('\n')}`)
  })

  it('the default stderr logger at trace (QFPAY_LOG=trace) and a QFPAY_LOG holding the key', () => {
    const script = `
      const { Client, Sandbox } = require(${JSON.stringify(path.resolve(__dirname, '..'))})
      const KEY = process.env.SECRET
      ;(async () => {
        const sandbox = await Sandbox.start({ rateLimit: false, merchants: [{ appCode: 'APP', clientKey: KEY }] })
        const good = sandbox.client({ maxRetries: 0 })
        await good.wechatQr({ amount: 300 })
        const bad = sandbox.client({ clientKey: process.env.WRONG, maxRetries: 0 })
        await bad.wechatQr({ amount: 300 }).catch((e) => console.error(require('node:util').inspect(e, { showHidden: true })))
        try { new Client({ appCode: 'A', clientKey: 'K', environment: KEY }) } catch (e) { console.error(e) }
        await new Promise((r) => setTimeout(r, 50))
        await sandbox.stop()
      })()`
    // The key alone or before `=` reads as a target (logging nothing from the SDK); after `=`
    // or with a space it cannot be used: one warning, which does not quote it.
    for (const [QFPAY_LOG, warns] of [['trace', false], ['qfpay=trace', false], [KEY, false], [`${KEY}=trace`, false], [`qfpay=${KEY}`, true], [`debug,${KEY} x`, true]]) {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, DEBUG: '', QFPAY_LOG, SECRET: KEY, WRONG }, timeout: 30000 })
      assert.equal(r.status, 0, r.stderr)
      if (!QFPAY_LOG.includes(KEY)) assert.match(r.stderr, /^qfpay trace /m, 'logged at trace')
      assert.equal(/\[QFPAY_LOG\]/.test(r.stderr), warns, r.stderr)
      const hits = found([r.stdout, r.stderr], [KEY, WRONG])
      assert.equal(hits.length, 0, `QFPAY_LOG=${QFPAY_LOG === KEY ? '<key>' : QFPAY_LOG.replace(KEY, '<key>')}: the key appeared:\n${hits.slice(0, 5).join('\n')}`)
    }
  })
})
