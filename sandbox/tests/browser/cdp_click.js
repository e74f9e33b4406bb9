// Drives one page in headless Chromium over the DevTools protocol (--remote-debugging-pipe:
// fd 3 in, fd 4 out, NUL-separated JSON), nothing downloaded. Usage:
//   node cdp_click.js CHROMIUM URL BUTTON_ID EXPECTED_URL_PREFIX [PRE_CLICK_ID]
// Opens URL, waits until #BUTTON_ID is visible and enabled, optionally clicks #PRE_CLICK_ID
// first (a wallet radio button), clicks the button with real mouse events at its centre, waits
// until the page's location starts with EXPECTED_URL_PREFIX, and prints {"href": ...} as JSON.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [browser, url, buttonId, expected, preClick] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qfpay-cdp-'));
const child = spawn(browser, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
  '--remote-debugging-pipe', '--user-data-dir=' + profile, 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toBrowser = child.stdio[3];
const fromBrowser = child.stdio[4];

let nextId = 1;
const waiting = new Map();
let buffer = '';
fromBrowser.on('data', (chunk) => {
  buffer += chunk.toString('utf8');
  let i;
  while ((i = buffer.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    if (msg.id && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) { reject(new Error(JSON.stringify(msg.error))); } else { resolve(msg.result); }
    }
  }
});
function send(method, params, sessionId) {
  const id = nextId++;
  const msg = { id, method, params: params || {} };
  if (sessionId) { msg.sessionId = sessionId; }
  toBrowser.write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function finish(code, out) {
  if (out) { process.stdout.write(JSON.stringify(out) + '\n'); }
  const done = () => {
    try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* kept */ }
    process.exit(code);
  };
  // Closed, Chromium removes its own temporary files (a killed one leaves them in /tmp).
  child.once('exit', done);
  try { toBrowser.write(JSON.stringify({ id: nextId++, method: 'Browser.close' }) + '\0'); } catch (e) { /* gone */ }
  setTimeout(() => { try { child.kill('SIGKILL'); } catch (e) { /* gone */ } done(); }, 5000);
}
setTimeout(() => finish(2, { error: 'timed out' }), 100000);

(async () => {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const evaluate = async (expression) => {
    try {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
      return r.result ? r.result.value : undefined;
    } catch (e) { return undefined; }
  };
  await send('Page.enable', {}, sessionId);
  await send('Page.navigate', { url }, sessionId);
  const visible = `(function () { var b = document.getElementById(${JSON.stringify(buttonId)});
    if (!b || b.disabled) { return null; }
    var r = b.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { return null; }
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`;
  let at = null;
  for (let i = 0; i < 400 && !at; i++) { at = await evaluate(visible); if (!at) { await sleep(100); } }
  if (!at) {
    finish(1, { error: 'no clickable #' + buttonId, text: await evaluate('document.body.innerText') });
    return;
  }
  if (preClick) { await evaluate(`document.getElementById(${JSON.stringify(preClick)}).click()`); }
  for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
    await send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 }, sessionId);
  }
  let href = '';
  for (let i = 0; i < 400; i++) {
    href = (await evaluate('location.href')) || href;
    if (href.startsWith(expected)) { finish(0, { href }); return; }
    await sleep(100);
  }
  finish(1, { error: 'did not reach ' + expected, href, text: await evaluate('document.body.innerText') });
})().catch((e) => finish(1, { error: String(e) }));
