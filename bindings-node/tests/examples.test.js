'use strict'
// The loose scripts in examples/node/ (wechat-qr-payment.js, notification-receiver.js) run against
// a sandbox, loading `qfpay` as an installed package would. The framework projects
// (examples/node/express/, fastify/) have their own tests, run by test.sh.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { qfpay } = require('./helpers.js')

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples', 'node')

describe('examples/node', () => {
  let sandbox, nodePath
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
    nodePath = fs.mkdtempSync(path.join(os.tmpdir(), 'qfpay-examples-'))
    fs.symlinkSync(path.resolve(__dirname, '..'), path.join(nodePath, 'qfpay'), 'dir')
  })
  after(async () => {
    fs.rmSync(nodePath, { recursive: true, force: true })
    await sandbox.stop()
  })

  function start (script, args, env) {
    const child = spawn(process.execPath, [path.join(EXAMPLES, script), ...args], {
      env: { ...process.env, NODE_PATH: nodePath, QFPAY_BASE_URL: sandbox.baseUrl, QFPAY_APP_CODE: sandbox.appCode, QFPAY_CLIENT_KEY: sandbox.clientKey, ...env }
    })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    const waitFor = async (re) => {
      for (let i = 0; i < 300; i++) {
        const m = re.exec(out)
        if (m) return m
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`no ${re} in output:\n${out}`)
    }
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
    return { child, waitFor, exited, output: () => out }
  }

  it('wechat-qr-payment.js creates the order, and sees it paid after the scan', async () => {
    const run = start('wechat-qr-payment.js', ['300'], {})
    const [, outTradeNo] = await run.waitFor(/out_trade_no: (\S+)/)
    await run.waitFor(/waiting for the payment/)
    sandbox.pay(outTradeNo)
    const code = await run.exited
    assert.equal(code, 0, run.output())
    assert.match(run.output(), /paid: succeeded 300 HKD/)
  })

  it('notification-receiver.js verifies, acknowledges, and refuses a forgery', async () => {
    const run = start('notification-receiver.js', [], { PORT: '0' })
    try {
      const [, url] = await run.waitFor(/listening on (http:\/\/\S+)/)
      const p = await sandbox.client().wechatQr({ amount: 1001, notifyUrl: `${url}/notify` })
      await run.waitFor(new RegExp(`notification: payment ${p.outTradeNo} 1001 HKD success=true`))

      const body = JSON.stringify({ notify_type: 'payment', status: '1', out_trade_no: 'X', txamt: '1' })
      const forged = await fetch(`${url}/notify`, { method: 'POST', body, headers: { 'X-QF-SIGN': qfpay.notificationSignature(body, 'not the key') } })
      assert.equal(forged.status, 401)
      const good = await fetch(`${url}/notify`, { method: 'POST', body, headers: { 'X-QF-SIGN': qfpay.notificationSignature(body, sandbox.clientKey) } })
      assert.equal(good.status, 200)
      assert.equal(await good.text(), 'SUCCESS')
    } finally {
      run.child.kill()
      await run.exited
    }
  })
})
