'use strict'
// addNote against the embedded sandbox over real HTTP: the note kept on the order (a later one
// replaces it), a bad note and an mchid client refused before sending.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { qfpay, rejection } = require('./helpers.js')

const { Sandbox, ValidationError, ConfigError, QfPayError } = qfpay

describe('addNote', () => {
  it('keeps the note on the order; a later note replaces it', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      const client = sandbox.client()
      const p = await client.wechatQr({ amount: 1001, currency: 'HKD' }) // paid at once in the sandbox
      const added = await client.addNote({ syssn: p.syssn, note: '禮物包裝 gift wrap' })
      assert.equal(added.syssn, p.syssn)
      assert.equal(added.note, '禮物包裝 gift wrap')
      assert.equal(added.raw.respcd, '0000')
      const order = () => sandbox.orders().find((o) => o.syssn === p.syssn)
      assert.equal(order().note, '禮物包裝 gift wrap')
      await client.addNote({ syssn: p.syssn, note: 'second' })
      assert.equal(order().note, 'second')
      const e = await rejection(client.addNote({ syssn: '20990101000300020000000001', note: 'x' }))
      assert.ok(e instanceof QfPayError, String(e))
      assert.equal(e.respcd, '1268')
    } finally {
      sandbox.stop()
    }
  })

  it('refuses a bad note and a client with an mchid before sending', async () => {
    const sandbox = await Sandbox.start({ rateLimit: false })
    try {
      for (const note of ['', 'x'.repeat(201), 'a\nb']) {
        const e = await rejection(sandbox.client().addNote({ syssn: '20260101000300020000000001', note }))
        assert.ok(e instanceof ValidationError, String(e))
        assert.equal(e.field, 'note')
      }
      assert.equal(sandbox.requests().length, 0)
    } finally {
      sandbox.stop()
    }
    const agent = await Sandbox.start({ merchants: [{ appCode: 'APPMCH', clientKey: 'KEYMCH', mchid: 'MCH0001' }] })
    try {
      const e = await rejection(agent.client().addNote({ syssn: '20260101000300020000000001', note: 'x' }))
      assert.ok(e instanceof ConfigError, String(e))
      assert.match(e.message, /mchid/)
      assert.equal(agent.requests().length, 0)
    } finally {
      agent.stop()
    }
  })
})
