'use strict'
// Loads the native addon (napi-rs per-platform layout): an explicit path, the addon built in
// this checkout, or the platform package `@qfpay/<platform>` that npm installs as an optional
// dependency of `qfpay`. Elsewhere it fails saying which platform and how to build from source.

const path = require('node:path')

// Platforms with a published (or dist/-built) package. Others: build from source.
const PACKAGES = { 'linux-x64-gnu': '@qfpay/linux-x64-gnu' }

function platformKey () {
  const { platform, arch } = process
  if (platform === 'win32') return `win32-${arch}-msvc`
  if (platform !== 'linux') return `${platform}-${arch}`
  let musl = false
  try {
    const header = process.report?.getReport?.()?.header
    musl = header !== undefined && !header.glibcVersionRuntime
  } catch (_) {}
  return `linux-${arch}-${musl ? 'musl' : 'gnu'}`
}

const BUILD_HELP =
  'build from source with: git clone <the qfpay repository> && cd qfpay/bindings-node && npm ci && ' +
  'npx napi build --platform --release (needs Rust >= 1.95), then set QFPAY_NATIVE_LIBRARY=<path to the .node file> ' +
  'or install that bindings-node directory (npm install /path/to/qfpay/bindings-node)'

function load () {
  const key = platformKey()
  const explicit = process.env.QFPAY_NATIVE_LIBRARY || process.env.NAPI_RS_NATIVE_LIBRARY_PATH
  if (explicit) return require(path.resolve(explicit))
  const errors = []
  const local = path.join(__dirname, '..', `qfpay.${key}.node`)
  try {
    return require(local)
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') errors.push(`${local}: ${e.message}`)
  }
  const pkg = PACKAGES[key]
  if (pkg) {
    try {
      return require(pkg)
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') errors.push(`${pkg}: ${e.message}`)
      else errors.push(`${pkg} is not installed (npm skips it with --omit=optional or --no-optional; reinstall without that flag)`)
    }
  }
  const what = pkg
    ? `qfpay: the native addon for ${key} could not be loaded`
    : `qfpay: unsupported platform ${key}: no prebuilt addon (prebuilt: ${Object.keys(PACKAGES).join(', ')})`
  const err = new Error(`${what}; ${BUILD_HELP}.${errors.length ? '\n' + errors.join('\n') : ''}`)
  err.code = 'QFPAY_UNSUPPORTED_PLATFORM'
  err.platform = key
  throw err
}

module.exports = load()
module.exports.__platformKey = platformKey
