'use strict'
// Stages the two npm packages for `npm pack` (dist.sh packs them; tests/package.test.js inspects
// `npm pack --dry-run --json` of the same staging):
//   node stage.js main DIR              qfpay: lib/, README.md, the LICENSE files, package.json
//                                       without dev fields, the platform package as an optional dependency
//   node stage.js platform DIR ADDON [KEY CPU LIBC]
//                                       @qfpay/linux-x64-gnu (or @qfpay/KEY for another target,
//                                       e.g. linux-arm64-gnu arm64 glibc): the addon, its README,
//                                       the LICENSE files
const fs = require('node:fs')
const path = require('node:path')

const here = __dirname
const root = path.join(here, '..')
const LICENSES = ['LICENSE-MIT', 'LICENSE-APACHE']

function licenses (dir) {
  for (const f of LICENSES) fs.copyFileSync(path.join(root, f), path.join(dir, f))
}

function writeJson (file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n')
}

function main (dir) {
  fs.mkdirSync(dir, { recursive: true })
  fs.cpSync(path.join(here, 'lib'), path.join(dir, 'lib'), { recursive: true })
  fs.copyFileSync(path.join(here, 'README.md'), path.join(dir, 'README.md'))
  licenses(dir)
  const p = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'))
  delete p.devDependencies
  delete p.scripts
  delete p.napi
  p.files = ['lib/', ...LICENSES] // npm adds README.md itself, not these names
  p.optionalDependencies = { '@qfpay/linux-x64-gnu': p.version }
  writeJson(path.join(dir, 'package.json'), p)
}

function platform (dir, addon, target) {
  fs.mkdirSync(dir, { recursive: true })
  const src = path.join(here, 'npm', 'linux-x64-gnu')
  const p = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'))
  let readme = fs.readFileSync(path.join(src, 'README.md'), 'utf8')
  p.version = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).version
  if (target && target.key !== 'linux-x64-gnu') {
    const { key, cpu, libc } = target
    p.name = `@qfpay/${key}`
    p.main = `qfpay.${key}.node`
    p.files = [p.main]
    p.cpu = [cpu]
    p.libc = [libc]
    p.description = p.description.replace(/Linux \S+ \(\S+\)/, `Linux ${cpu} (${libc})`)
    p.keywords = p.keywords.map((k) => (k === 'linux-x64-gnu' ? key : k))
    readme = readme.replace(/linux-x64-gnu/g, key).replace(/Linux x64 with glibc/g, `Linux ${cpu} with ${libc}`)
  }
  p.files = [...p.files, ...LICENSES]
  writeJson(path.join(dir, 'package.json'), p)
  fs.writeFileSync(path.join(dir, 'README.md'), readme)
  fs.copyFileSync(addon, path.join(dir, p.main))
  licenses(dir)
}

if (require.main === module) {
  const [what, dir, addon, key, cpu, libc] = process.argv.slice(2)
  if (what === 'main' && dir) main(path.resolve(dir))
  else if (what === 'platform' && dir && addon) platform(path.resolve(dir), path.resolve(addon), key && { key, cpu, libc })
  else {
    console.error('usage: node stage.js main DIR | node stage.js platform DIR ADDON [KEY CPU LIBC]')
    process.exit(2)
  }
}

module.exports = { main, platform }
