'use strict'
// What npm users get (issue 25): both packages carry README.md, LICENSE-MIT and LICENSE-APACHE;
// the main one its type declarations; both the registry metadata (repository with directory,
// homepage, bugs, keywords, license). Checks `npm pack --dry-run --json` of the staging dist.sh
// packs (stage.js) and, under QFPAY_ARTIFACTS, the tarballs in $QFPAY_ARTIFACTS/node.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const stage = require('../stage.js')

const ADDON = path.resolve(__dirname, '..', 'qfpay.linux-x64-gnu.node')
const COMMON = ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE']
const EXPECTED = {
  main: [...COMMON, 'lib/index.js', 'lib/index.mjs', 'lib/index.d.ts', 'lib/surface.d.ts'],
  platform: [...COMMON, 'qfpay.linux-x64-gnu.node']
}

function checkMetadata (p, directory) {
  assert.equal(p.license, 'MIT OR Apache-2.0')
  assert.deepEqual(p.repository, { type: 'git', url: 'git+https://github.com/qfpay-sdk/qfpay.git', directory })
  assert.equal(p.homepage, `https://github.com/qfpay-sdk/qfpay/tree/main/${directory}#readme`)
  assert.deepEqual(p.bugs, { url: 'https://github.com/qfpay-sdk/qfpay/issues' })
  assert.ok(Array.isArray(p.keywords) && p.keywords.includes('qfpay'), 'keywords')
  assert.ok(p.description && p.engines?.node, 'description and engines')
}

function checkReadme (text) {
  // npm renders it on the package page: links must be absolute, and no "not published yet".
  const relative = [...text.matchAll(/\]\((?!https?:|#)([^)]+)\)/g)].map((m) => m[1])
  assert.deepEqual(relative, [], 'relative links in README.md')
  assert.doesNotMatch(text, /not (on npm|published) yet/i)
}

function dryRun (dir) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: dir, encoding: 'utf8' })
  return JSON.parse(out)[0].files.map((f) => f.path)
}

describe('npm packages', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qfpay-pack-'))
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }))

  it('qfpay: npm pack --dry-run lists README, LICENSE files, the .d.ts; metadata complete', () => {
    const dir = path.join(tmp, 'main')
    stage.main(dir)
    const files = dryRun(dir)
    for (const f of EXPECTED.main) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`)
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
    checkMetadata(p, 'bindings-node')
    assert.equal(p.types, 'lib/index.d.ts')
    assert.equal(p.devDependencies, undefined)
    assert.deepEqual(p.optionalDependencies, { '@qfpay/linux-x64-gnu': p.version })
    checkReadme(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'))
  })

  it('@qfpay/linux-x64-gnu: npm pack --dry-run lists the addon, README, LICENSE files; metadata complete', () => {
    const dir = path.join(tmp, 'platform')
    stage.platform(dir, ADDON)
    const files = dryRun(dir)
    for (const f of EXPECTED.platform) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`)
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
    checkMetadata(p, 'bindings-node/npm/linux-x64-gnu')
    checkReadme(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'))
  })

  it('the shipped tarballs ($QFPAY_ARTIFACTS/node) hold the same', { skip: !process.env.QFPAY_ARTIFACTS && 'QFPAY_ARTIFACTS unset' }, () => {
    const dir = path.join(process.env.QFPAY_ARTIFACTS, 'node')
    const tarballs = fs.readdirSync(dir).filter((f) => f.endsWith('.tgz'))
    const kinds = { main: tarballs.find((f) => /^qfpay-\d/.test(f)), platform: tarballs.find((f) => f.startsWith('qfpay-linux-x64-gnu-')) }
    for (const [kind, tgz] of Object.entries(kinds)) {
      assert.ok(tgz, `no ${kind} tarball in ${dir}`)
      const file = path.join(dir, tgz)
      const files = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''))
      for (const f of EXPECTED[kind]) assert.ok(files.includes(f), `${f} missing from ${tgz}`)
      const p = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }))
      checkMetadata(p, kind === 'main' ? 'bindings-node' : 'bindings-node/npm/linux-x64-gnu')
      for (const lic of ['LICENSE-MIT', 'LICENSE-APACHE']) {
        const shipped = execFileSync('tar', ['-xzOf', file, `package/${lic}`], { encoding: 'utf8' })
        assert.equal(shipped, fs.readFileSync(path.resolve(__dirname, '..', '..', lic), 'utf8'), `${tgz}: ${lic}`)
      }
    }
  })
})
