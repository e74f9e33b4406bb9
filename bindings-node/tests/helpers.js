'use strict'
// Shared test helpers: the package (loaded through its public entry) and sandboxes.
const path = require('node:path')
const fs = require('node:fs')

const qfpay = require('..')

const VECTORS = path.resolve(__dirname, '..', '..', 'tests', 'vectors')

function vectors (name) {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8')).cases
}

// QFPay field names (as in tests/vectors) to this binding's option names.
const JS_NAMES = { txamt: 'amount', txcurrcd: 'currency' }
function camel (name) {
  return JS_NAMES[name] || name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}
// Result field names: QFPay's snake_case to camelCase (txamt stays txamt).
function resultName (name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}
function toJs (params) {
  const out = {}
  for (const [k, v] of Object.entries(params)) {
    if (k === 'extend_info' && v && typeof v === 'object') {
      out.extendInfo = Object.fromEntries(Object.entries(v).map(([ek, ev]) => [camel(ek), ev]))
    } else {
      out[camel(k)] = v
    }
  }
  return out
}

// Calls the client operation a vector names, with QFPay-named params.
function operate (client, operation, params) {
  const req = toJs(params)
  switch (operation) {
    case 'payment': return client.createPayment(req)
    case 'query': return client.query(req)
    case 'refund': return client.refund(req)
    case 'close': return client.close(req)
    case 'reverse': return client.reverse(req)
    default: throw new Error(`unknown operation ${operation}`)
  }
}

async function rejection (promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected the call to fail')
}

// Runs fn with process.env changed (undefined removes a variable), restoring it afterwards.
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

/**
 * Debian's Chromium (bindings-node/debian-packages.txt), headless, driven by playwright-core,
 * which downloads nothing: the executable is the system's (QFPAY_CHROMIUM overrides it).
 */
async function launchChromium () {
  const { chromium } = require('playwright-core')
  const executablePath = process.env.QFPAY_CHROMIUM || '/usr/bin/chromium'
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: install Debian's chromium (bindings-node/debian-packages.txt)`)
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: process.getuid() === 0 ? ['--no-sandbox'] : []
  })
}

module.exports = { qfpay, vectors, toJs, camel, resultName, operate, rejection, withEnv, launchChromium, VECTORS }
