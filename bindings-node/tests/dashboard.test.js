'use strict'
// The sandbox's dashboard (/sandbox/) in a real headless browser: Debian's Chromium driven by
// playwright-core (helpers.js launchChromium: nothing downloaded). A payment
// made through the SDK is found on the dashboard, its QR image decodes (jsqr + pngjs, pinned
// devDependencies) to the payment's qrcode, "Pay as the customer" pays it and the shop's
// receiver gets a notification that verifies; a bad signature is shown with its verdict and
// the string the sandbox signed; a goods name with markup is shown as text.
//
// QFPAY_SCREENSHOTS=<dir> also writes the README's screenshots (desktop 1280 px and phone
// 390 px wide, the orders list and an order's page); without it nothing is written.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const { PNG } = require('pngjs')
const jsQR = require('jsqr')
const { qfpay, launchChromium } = require('./helpers.js')

const SHOTS = process.env.QFPAY_SCREENSHOTS || ''
const MARKUP = '<img src=x onerror="window.__pwned=1">'

/** The shop's notification receiver on 127.0.0.1: keeps each body and signature. */
async function receiver () {
  const got = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      got.push({ body: Buffer.concat(chunks), signature: req.headers['x-qf-sign'] })
      res.end(qfpay.NOTIFICATION_ACK)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/notify`
  async function notification (outTradeNo) {
    for (let i = 0; i < 200; i++) {
      const n = got.find((x) => JSON.parse(x.body).out_trade_no === outTradeNo)
      if (n) return n
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`no notification for ${outTradeNo}`)
  }
  return { url, notification, close: () => new Promise((resolve) => server.close(resolve)) }
}

async function shot (page, name) {
  if (!SHOTS) return
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, name) })
}

describe('the sandbox dashboard in a real browser (headless Chromium)', () => {
  let sandbox, client, browser, shop
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
    client = sandbox.client({ maxRetries: 0 })
    shop = await receiver()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await shop?.close()
    await sandbox?.stop()
  })

  it('finds the SDK\'s payment, decodes its QR, pays as the customer; the notification verifies', async () => {
    // A few more orders, so the list looks like a tester's.
    const other = await client.createPayment({ amount: 2500, currency: 'HKD', payType: '800101', goodsName: 'Jasmine tea' })
    await client.createPayment({ amount: 480, currency: 'HKD', payType: '800201', goodsName: 'Egg tart' })
    sandbox.pay(other.syssn)
    await client.refund({ syssn: other.syssn, amount: 500, currency: 'HKD' })
    const p = await client.createPayment({ amount: 1250, currency: 'HKD', payType: '800201', goodsName: 'Tea & cake', notifyUrl: shop.url })
    assert.ok(p.qrcode, 'a QR payment has a qrcode')

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors = []
    page.on('pageerror', (e) => errors.push(String(e)))
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/`)
      const row = page.locator(`tr[data-syssn="${p.syssn}"]`)
      await row.waitFor({ state: 'visible' })
      assert.match(await row.textContent(), /HKD 12\.50/)
      assert.match(await row.textContent(), /1250 minor/)
      assert.match(await row.textContent(), /WeChat/)
      assert.match(await row.textContent(), new RegExp(p.outTradeNo))

      // The filters: a text search narrows the list to this order.
      await page.getByLabel('Search').fill(p.outTradeNo)
      await page.waitForFunction(() => document.querySelectorAll('#orders-body tr').length === 1)
      await page.getByLabel('Search').fill('')
      await page.getByLabel('Kind').selectOption('refund')
      await page.waitForFunction(() => [...document.querySelectorAll('#orders-body tr')].every((r) => /refund/.test(r.textContent)))
      await page.getByLabel('Kind').selectOption('')
      await row.waitFor({ state: 'visible' })
      await page.evaluate(() => document.activeElement.blur())
      await shot(page, 'dashboard-orders-desktop.png')
      await page.setViewportSize({ width: 390, height: 844 })
      await shot(page, 'dashboard-orders-phone.png')
      await page.setViewportSize({ width: 1280, height: 800 })

      await row.getByRole('link').click()
      await page.waitForURL(new RegExp(`#/orders/${p.syssn}$`))
      const qr = page.locator('#qr')
      await qr.waitFor({ state: 'visible' })
      await page.waitForFunction(() => { const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0 })
      const png = PNG.sync.read(await qr.screenshot())
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
      assert.ok(decoded, 'the QR image decodes')
      assert.equal(decoded.data, p.qrcode)
      assert.equal(await page.locator('#order-fields .goods').textContent(), 'Tea & cake')
      await shot(page, 'dashboard-order-desktop.png')
      await page.setViewportSize({ width: 390, height: 844 })
      await shot(page, 'dashboard-order-phone.png')
      await page.setViewportSize({ width: 1280, height: 800 })

      const pay = page.getByRole('button', { name: 'Pay as the customer' })
      await assert.doesNotReject(pay.waitFor({ state: 'visible' }))
      await page.waitForFunction(() => !document.getElementById('act-pay').disabled)
      await pay.click()
      const t = await client.waitForPayment(p.outTradeNo, { timeoutMs: 5000, intervalMs: 20 })
      assert.equal(t.state, 'succeeded')
      const n = await shop.notification(p.outTradeNo)
      const verified = qfpay.verifyNotification(n.body, n.signature, sandbox.clientKey)
      assert.equal(verified.outTradeNo, p.outTradeNo)
      assert.equal(verified.txamt, 1250)
      // The page shows the payment paid and the receiver's answer, without a reload.
      await page.waitForFunction(() => /succeeded/.test(document.getElementById('order-fields').textContent))
      await page.waitForFunction(() => /HTTP 200 "SUCCESS" \(accepted\)/.test(document.getElementById('order-notifications').textContent))
      assert.equal(await page.locator('#act-pay').isDisabled(), true)
      assert.deepEqual(errors, [])
    } finally {
      await page.close()
    }
  })

  it('declines and expires orders from their pages', async () => {
    const a = await client.createPayment({ amount: 300, currency: 'HKD', payType: '800201' })
    const b = await client.createPayment({ amount: 400, currency: 'HKD', payType: '800201' })
    const page = await browser.newPage()
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/#/orders/${a.syssn}`)
      await page.waitForFunction(() => !document.getElementById('act-decline').disabled)
      await page.getByRole('button', { name: 'Decline' }).click()
      await page.waitForFunction(() => /failed/.test(document.getElementById('order-fields').textContent))
      assert.equal((await client.query({ syssn: a.syssn })).data[0].state, 'failed')

      await page.goto(`${sandbox.baseUrl}/sandbox/#/orders/${b.syssn}`)
      await page.waitForFunction(() => !document.getElementById('act-expire').disabled)
      await page.getByRole('button', { name: 'Let it expire' }).click()
      await page.waitForFunction(() => /expired/.test(document.getElementById('order-fields').textContent))
      // The checkout page links back to the dashboard.
      await page.goto(`${sandbox.baseUrl}/sandbox/checkout/${b.syssn}`)
      await page.getByRole('link', { name: 'Sandbox dashboard' }).click()
      await page.locator('#orders-title').waitFor({ state: 'visible' })
    } finally {
      await page.close()
    }
  })

  it('shows a bad-signature request with its verdict and the string the sandbox signed', async () => {
    const params = { txamt: '100', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: `BADSIG-${process.pid}`, txdtm: '2026-01-02 03:04:05' }
    const res = await fetch(`${sandbox.baseUrl}/trade/v1/payment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': sandbox.appCode, 'X-QF-SIGN': 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF' },
      body: new URLSearchParams(params).toString()
    })
    assert.equal((await res.json()).respcd, '1108')
    const page = await browser.newPage()
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/#/requests`)
      const row = page.locator('#requests-body tr', { hasText: params.out_trade_no })
      await row.waitFor({ state: 'visible' })
      assert.equal((await row.locator('.verdict').textContent()).trim(), 'bad')
      assert.equal(await row.locator('.signed').textContent(), qfpay.debugStringToSign(params))
      assert.match(await row.locator('.signed').textContent(), /<client_key>$/)
      assert.equal(await row.locator('.sent').textContent(), 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF')
      assert.doesNotMatch(await page.textContent('body'), new RegExp(sandbox.clientKey))
    } finally {
      await page.close()
    }
  })

  it('shows a goods name containing markup as text, never as an element', async () => {
    const p = await client.createPayment({ amount: 999, currency: 'HKD', payType: '800201', goodsName: MARKUP })
    const page = await browser.newPage()
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/`)
      const row = page.locator(`tr[data-syssn="${p.syssn}"]`)
      await row.waitFor({ state: 'visible' })
      assert.match(await row.textContent(), /<img src=x onerror="window.__pwned=1">/)
      await row.getByRole('link').click()
      await page.locator('#order-fields .goods').waitFor({ state: 'visible' })
      assert.equal(await page.locator('#order-fields .goods').textContent(), MARKUP)
      await page.waitForTimeout(300)
      assert.equal(await page.locator('img[src="x"]').count(), 0)
      assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined')
    } finally {
      await page.close()
    }
  })

  it('shows a transaction\'s note on its order, as text', async () => {
    const p = await client.createPayment({ amount: 1250, currency: 'HKD', payType: '800201', goodsName: 'Noted' })
    sandbox.pay(p.syssn)
    await client.addNote({ syssn: p.syssn, note: MARKUP })
    const page = await browser.newPage()
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/`)
      const row = page.locator(`tr[data-syssn="${p.syssn}"]`)
      await row.waitFor({ state: 'visible' })
      await row.getByRole('link').click()
      await page.locator('#order-fields .note').waitFor({ state: 'visible' })
      assert.equal(await page.locator('#order-fields .note').textContent(), MARKUP)
      assert.equal(await page.locator('img[src="x"]').count(), 0)
    } finally {
      await page.close()
    }
  })

  it('keeps the client key masked until "Show"', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${sandbox.baseUrl}/sandbox/#/merchants`)
      const show = page.getByRole('button', { name: `Show the client key of ${sandbox.appCode}` })
      await show.waitFor({ state: 'visible' })
      assert.doesNotMatch(await page.textContent('body'), new RegExp(sandbox.clientKey))
      await show.click()
      await page.waitForFunction((k) => document.body.textContent.includes(k), sandbox.clientKey)
    } finally {
      await page.close()
    }
  })
})
