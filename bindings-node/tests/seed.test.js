'use strict'
// QFPay's own Node sample (tests/fixtures/seed-sample.js, verbatim from the seed document) runs
// unchanged against the sandbox but for its base URL and credentials. It uses the `request`
// package, lowercase hex MD5 and mchid 'ZaMVg*****'.
const { it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { qfpay } = require('./helpers.js')

const SAMPLE = fs.readFileSync(path.join(__dirname, 'fixtures', 'seed-sample.js'), 'utf8')

function swapped (baseUrl, appCode, clientKey) {
  const out = SAMPLE
    .replace(/^const environment = '.*'$/m, `const environment = '${baseUrl}'`)
    .replace(/^const app_code = '.*'$/m, `const app_code = '${appCode}'`)
    .replace(/^const client_key = '.*'$/m, `const client_key = '${clientKey}'`)
  assert.notEqual(out, SAMPLE)
  return out
}

function run (file) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file], { env: { ...process.env, NODE_PATH: path.join(__dirname, '..', 'node_modules') } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

it("the seed's Node sample gets 0000 and a QR code from the sandbox", async () => {
  const sandbox = await qfpay.Sandbox.start({
    rateLimit: false,
    merchants: [{ appCode: 'D5589D2A1F2E42A9A60C37SANDBOX01', clientKey: '0E32A59A8B454940A2FF39SANDBOX01', mchid: 'ZaMVg*****' }]
  })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qfpay-seed-'))
  try {
    const file = path.join(dir, 'seed.js')
    fs.writeFileSync(file, swapped(sandbox.baseUrl, sandbox.appCode, sandbox.clientKey))
    const stdout = await run(file)
    const body = JSON.parse(stdout.trim().split('\n').pop())
    assert.equal(body.respcd, '0000', stdout)
    assert.match(body.qrcode, /^weixin:\/\//)
    assert.equal(body.txamt, '10')
    // the same order is visible through the SDK
    const t = await sandbox.client().findPayment(body.out_trade_no)
    assert.equal(t.state, 'pending')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    await sandbox.stop()
  }
})
