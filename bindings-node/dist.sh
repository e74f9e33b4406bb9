#!/usr/bin/env bash
# The npm packages in the napi-rs per-platform layout, into OUTDIR (default ../dist/node):
#   qfpay-<version>.tgz                  the main package (JavaScript, types; no addon), with
#                                        an optional dependency on the platform package
#   qfpay-linux-x64-gnu-<version>.tgz    @qfpay/linux-x64-gnu: the stripped release addon
# Both carry README.md and the repository's LICENSE-MIT and LICENSE-APACHE (staged by stage.js).
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

# The platform package and the main package (lib/ only, the platform package as an optional
# dependency), each with README.md and the repository's LICENSE files: stage.js.
node stage.js platform "$stage/platform" "$addon"
node stage.js main "$stage/main"

rm -f "$out"/qfpay-*.tgz
(cd "$stage/platform" && npm pack --silent --pack-destination "$out" >/dev/null)
(cd "$stage/main" && npm pack --silent --pack-destination "$out" >/dev/null)
ls -l "$out"/*.tgz
