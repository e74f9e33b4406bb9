'use strict'
// The README's quick start is examples/node/express/app.js, byte for byte: the example's test
// runs it against the sandbox, so the README cannot drift from code that works.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

test('the README quick start is examples/node/express/app.js', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8')
  const app = fs.readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'node', 'express', 'app.js'), 'utf8')
  const m = /<!-- snippet: fragment, covered by examples\/node\/express\/app\.js[^\n]*\n```js\n([\s\S]*?)```\n/.exec(readme)
  assert.ok(m, 'no quick-start block marked as covered by examples/node/express/app.js')
  assert.equal(m[1], app, 'README.md quick start differs from examples/node/express/app.js: copy the file into the block')
})
