// The package loads as an ES module and as CommonJS, and both give the same objects.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import qfpayDefault, { Client, Sandbox, QfPayError, DeclinedError, verifyNotification, sign, NOTIFICATION_ACK } from 'qfpay'

const require = createRequire(import.meta.url)

test('import and require give the same package', () => {
  const cjs = require('qfpay')
  assert.equal(Client, cjs.Client)
  assert.equal(QfPayError, cjs.QfPayError)
  assert.equal(qfpayDefault, cjs)
  assert.equal(typeof verifyNotification, 'function')
  assert.equal(NOTIFICATION_ACK, 'SUCCESS')
  assert.equal(sign({ a: '1' }, 'k'), cjs.sign({ a: '1' }, 'k'))
})

test('an ES module user gets the error classes', async () => {
  const sandbox = await Sandbox.start({ rateLimit: false })
  try {
    const client = sandbox.client()
    const p = await client.wechatQr({ amount: 300 })
    assert.equal(p.txamt, 300)
    await assert.rejects(client.wechatQr({ amount: 1003 }), (e) => e instanceof DeclinedError && e instanceof QfPayError)
  } finally {
    await sandbox.stop()
  }
})
