'use strict'
// The hosted checkout and the WeChat cashier in a real headless browser: Debian's Chromium
// (bindings-node/debian-packages.txt, installed by test.sh), driven by playwright-core (a
// devDependency; it downloads nothing: the executable is the system's). From the link the SDK
// builds to the notification the SDK verifies.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const { qfpay, launchChromium } = require('./helpers.js')


/**
 * The shop's side on 127.0.0.1: `/notify` keeps each notification (raw body and signature),
 * every other path is the shop's result page (what the browser lands on).
 */
async function shop () {
  const notifications = []
  const visits = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      if (req.url === '/notify') {
        notifications.push({ body: Buffer.concat(chunks), signature: req.headers['x-qf-sign'] })
        return res.end(qfpay.NOTIFICATION_ACK)
      }
      visits.push(req.url)
      res.setHeader('Content-Type', 'text/html; charset=utf-8')
      res.end(`<!doctype html><title>Shop</title><h1 id="shop">Back at the shop: ${req.url.replace(/[^\w/?=&.-]/g, '')}</h1>`)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  async function notification (outTradeNo) {
    for (let i = 0; i < 200; i++) {
      const n = notifications.find((x) => JSON.parse(x.body).out_trade_no === outTradeNo)
      if (n) return n
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`no notification for ${outTradeNo}`)
  }
  return { base, visits, notification, close: () => new Promise((resolve) => server.close(resolve)) }
}

describe('checkout in a real browser (headless Chromium)', () => {
  let sandbox, client, browser, site
  before(async () => {
    sandbox = await qfpay.Sandbox.start({ rateLimit: false, notifyTimeScale: 0.001 })
    client = sandbox.client({ maxRetries: 0 })
    site = await shop()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await site?.close()
    await sandbox?.stop()
  })

  it('the SDK\'s link opens the checkstand; Pay lands on return_url; the notification verifies; paid', async () => {
    const link = client.checkoutUrl({
      amount: 1250,
      currency: 'HKD',
      goodsName: 'Tea & cake',
      returnUrl: `${site.base}/paid?order=7&lang=en`,
      failedUrl: `${site.base}/failed`,
      notifyUrl: `${site.base}/notify`
    })
    const page = await browser.newPage()
    try {
      await page.goto(link.url)
      await page.locator('#pay').waitFor({ state: 'visible' })
      assert.equal((await page.locator('#amount').textContent()).trim(), 'HKD 12.50')
      assert.match(await page.locator('#minor').textContent(), /1250/)
      assert.equal(await page.locator('#goods').textContent(), 'Tea & cake')
      assert.equal(await page.locator('#out-trade-no').textContent(), link.outTradeNo)
      await Promise.all([
        page.waitForURL(`${site.base}/paid?order=7&lang=en`),
        page.locator('#pay').click()
      ])
      assert.match(await page.locator('#shop').textContent(), /Back at the shop/)
    } finally {
      await page.close()
    }
    assert.ok(site.visits.includes('/paid?order=7&lang=en'))
    const n = await site.notification(link.outTradeNo)
    const verified = qfpay.verifyNotification(n.body, n.signature, sandbox.clientKey)
    assert.equal(verified.outTradeNo, link.outTradeNo)
    assert.equal(verified.txamt, 1250)
    const t = await client.waitForPayment(link.outTradeNo, { timeoutMs: 5000, intervalMs: 20 })
    assert.equal(t.state, 'succeeded')
  })

  it('a link signed with a wrong key: the page shows QFSign_Error and its reason, and no Pay button', async () => {
    const other = new qfpay.Client({ baseUrl: sandbox.baseUrl, appCode: sandbox.appCode, clientKey: 'NOT-THE-MERCHANTS-KEY-0123456789' })
    const link = other.checkoutUrl({ amount: 300, currency: 'HKD', returnUrl: `${site.base}/paid`, failedUrl: `${site.base}/failed`, notifyUrl: `${site.base}/notify` })
    const page = await browser.newPage()
    try {
      await page.goto(link.url)
      await page.locator('#error').waitFor({ state: 'visible' })
      assert.equal((await page.locator('#error-code').textContent()).trim(), 'QFSign_Error')
      const reason = await page.locator('#error-reason').textContent()
      assert.match(reason, /QFSign_Error: .*signature/)
      assert.equal(await page.locator('#pay').isVisible(), false, 'no Pay button')
      assert.equal(await page.locator('#order').isVisible(), false)
    } finally {
      await page.close()
    }
    assert.equal(sandbox.orders().some((o) => o.outTradeNo === link.outTradeNo), false)
  })

  it('the /q/direct cashier of a JSAPI payment pays in the browser and redirects', async () => {
    const oauth = await fetch(client.wechatOauthUrl(`${site.base}/wechat`), { redirect: 'manual' })
    const code = new URL(oauth.headers.get('location')).searchParams.get('code')
    const openid = await client.getWechatOpenid(code)
    const p = await client.createPayment({ amount: 880, currency: 'HKD', payType: '800207', subOpenid: openid, goodsName: 'Milk tea', notifyUrl: `${site.base}/notify` })
    const cashier = client.cashierUrl({ amount: 880, currency: 'HKD', payParams: p.wechatPayParams.raw, mchntnm: 'Tea House', redirectUrl: `${site.base}/wechat/done`, goodsName: 'Milk tea' })
    const page = await browser.newPage()
    try {
      await page.goto(cashier)
      await page.locator('#pay').waitFor({ state: 'visible' })
      assert.match(await page.textContent('body'), /Tea House/)
      await Promise.all([page.waitForURL(`${site.base}/wechat/done`), page.locator('#pay').click()])
    } finally {
      await page.close()
    }
    const t = await client.waitForPayment(p.outTradeNo, { timeoutMs: 5000, intervalMs: 20 })
    assert.equal(t.state, 'succeeded')
    const n = await site.notification(p.outTradeNo)
    assert.equal(qfpay.verifyNotification(n.body, n.signature, sandbox.clientKey).outTradeNo, p.outTradeNo)
  })
})
