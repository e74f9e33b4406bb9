#!/usr/bin/env bash
# The npm packages in the napi-rs per-platform layout, into OUTDIR (default ../dist/node):
#   qfpay-<version>.tgz                  the main package (JavaScript, types; no addon), with
#                                        an optional dependency on the platform package
#   qfpay-linux-x64-gnu-<version>.tgz    @qfpay/linux-x64-gnu: the stripped release addon
# Only the host target (x86_64-unknown-linux-gnu) is built: other targets need Rust targets
# and linkers that this machine does not have; elsewhere the loader says how to build from
# source. Called by `make dist` (scripts/dist.sh) with the cargo profile in QFPAY_CARGO_PROFILE.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../dist/node}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$here"
profile="${QFPAY_CARGO_PROFILE:-release}"

npm ci --no-audit --no-fund --loglevel=error
# Plain cargo (no --target), so the addon shares target/<profile> and its compiled dependencies
# with the CLI and the PHP extension that `make dist` builds in the same profile: `napi build`
# would pass --target and build every dependency once more. On linux-gnu napi build adds nothing
# else to the compile; the JS loader and the .d.ts are hand-written (lib/).
cargo build -q --profile "$profile" -p qfpay-node --manifest-path "$here/../Cargo.toml"
target="${CARGO_TARGET_DIR:-$here/../target}"
addon=qfpay.linux-x64-gnu.node
cp "$target/$profile/libqfpay_node.so" "$addon"
strip --strip-unneeded "$addon" 2>/dev/null || true

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
version="$(node -p "require('./package.json').version")"

# The platform package.
mkdir -p "$stage/platform"
cp npm/linux-x64-gnu/package.json npm/linux-x64-gnu/README.md "$stage/platform/"
cp "$addon" "$stage/platform/"
node -e "
  const fs = require('fs'); const f = process.argv[1]; const p = JSON.parse(fs.readFileSync(f, 'utf8'))
  p.version = process.argv[2]; fs.writeFileSync(f, JSON.stringify(p, null, 2) + '\n')
" "$stage/platform/package.json" "$version"

# The main package: lib/ only, the platform package as an optional dependency.
mkdir -p "$stage/main"
cp -r lib README.md "$stage/main/"
node -e "
  const fs = require('fs'); const p = require('./package.json')
  delete p.devDependencies; delete p.scripts; delete p.napi
  p.files = ['lib/']
  p.optionalDependencies = { '@qfpay/linux-x64-gnu': p.version }
  fs.writeFileSync(process.argv[1], JSON.stringify(p, null, 2) + '\n')
" "$stage/main/package.json"

rm -f "$out"/qfpay-*.tgz
(cd "$stage/platform" && npm pack --silent --pack-destination "$out" >/dev/null)
(cd "$stage/main" && npm pack --silent --pack-destination "$out" >/dev/null)
ls -l "$out"/*.tgz
