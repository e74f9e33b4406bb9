'use strict'
// How calls come back: one completion callback per client (a weak threadsafe function) and a
// timer that keeps Node alive only while calls are pending (bindings-node/BENCHMARKS.md).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { Worker } = require('node:worker_threads')
const { qfpay } = require('./helpers.js')

const PKG = path.resolve(__dirname, '..')

describe('completion callback', () => {
  let sandbox
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false })
  })
  after(() => sandbox.stop())

  it('Node stays alive for calls nobody awaits, then exits by itself', async () => {
    const script = `
      const q = require(${JSON.stringify(PKG)})
      const c = new q.Client(JSON.parse(process.env.OPTS))
      for (let i = 0; i < 5; i++) c.wechatQr({ amount: 300 }).then((p) => console.log(p.respcd))
    `
    const opts = JSON.stringify({ baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: sandbox.clientKey })
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { env: { ...process.env, OPTS: opts }, timeout: 30000 }, (err, stdout) => {
        if (err) reject(err)
        else resolve(stdout)
      })
    })
    assert.deepEqual(out.trim().split('\n'), ['0000', '0000', '0000', '0000', '0000'])
  })

  it('a worker terminated with calls in flight leaves the process working', async () => {
    const code = `
      const q = require(${JSON.stringify(PKG)})
      const { workerData, parentPort } = require('node:worker_threads')
      const c = new q.Client(workerData)
      for (let i = 0; i < 20; i++) c.wechatQr({ amount: 300 }).then(() => {}, () => {})
      parentPort.postMessage('started')
    `
    const workerData = { baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: sandbox.clientKey }
    for (let i = 0; i < 5; i++) {
      const w = new Worker(code, { eval: true, workerData })
      await new Promise((resolve, reject) => {
        w.once('message', resolve)
        w.once('error', reject)
      })
      await w.terminate()
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    const p = await sandbox.client().wechatQr({ amount: 300 })
    assert.equal(p.respcd, '0000')
  })

  it('64 calls in flight each get their own result', async () => {
    const client = sandbox.client()
    const ps = await Promise.all(Array.from({ length: 64 }, (_, i) => client.wechatQr({ amount: 100 + i })))
    assert.deepEqual(ps.map((p) => p.txamt), Array.from({ length: 64 }, (_, i) => 100 + i))
  })
})
