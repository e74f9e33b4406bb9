#!/usr/bin/env bash
# `make dist-all`: `make dist` for the host (linux-x86_64, with the Dokka -javadoc jar), then the
# cross targets, each where it can be built, into the same dist/ (or $1):
#   gnu-aarch64   aarch64-unknown-linux-gnu (glibc 2.28), one cargo build of three crates:
#                   dist/cli/qfpay-<v>-aarch64-unknown-linux-gnu     (run under qemu-user: `demo`)
#                   dist/node/qfpay-linux-arm64-gnu-<v>.tgz          (@qfpay/linux-arm64-gnu)
#                   dist/java/qfpay-<v>.jar gains linux-aarch64/libqfpay_jvm.so
#   wheel-aarch64 dist/python/qfpay-<v>-cp311-abi3-manylinux_2_28_aarch64.whl (maturin --zig)
#   musl-x86_64   dist/cli/qfpay-<v>-x86_64-unknown-linux-musl       (static; runs `demo` here)
#   musl-aarch64  dist/cli/qfpay-<v>-aarch64-unknown-linux-musl      (static; `demo` under qemu)
#   node-musl     dist/node/qfpay-linux-x64-musl-<v>.tgz             (@qfpay/linux-x64-musl)
#   install       tests/install/run.sh on the result (the host's artifacts install and pay)
# The main npm package is then repacked to list every platform package built (optional
# dependencies, and the loader's table). Every artifact's ELF machine, its newest glibc symbol
# (gnu) or its linking (musl) go to dist/DIST-ALL.txt, with what was not built and why; the
# result is recorded by hand in BENCHMARKS.md ("Distributables").
#
# Run by hand, not by `make test` (each cross target compiles every dependency once more).
# It installs what it needs: the Rust standard libraries (`rustup target add`), zig (`ziglang`),
# cargo-zigbuild and maturin from PyPI into target/dist-all-venv (scripts/requirements-dist-all.txt),
# and Debian's qemu-user + libc6-arm64-cross to run the aarch64 CLI, musl-tools to load the musl
# Node addon with musl's loader (both optional: skipped without apt).
# Exits 1 when any step failed, so a partial cross build never looks complete.
# Usage: scripts/dist-all.sh [OUT_DIR [STEP...]]
#   steps: host gnu-aarch64 wheel-aarch64 musl-x86_64 musl-aarch64 node-musl install (default: all)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist}"
shift || true
only=" tools ${*:-host gnu-aarch64 wheel-aarch64 musl-x86_64 musl-aarch64 node-musl install} "
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
logs="$target_dir/dist-all-logs"
mkdir -p "$logs"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
report="$out/DIST-ALL.txt"
built=()
failed=()

note() { echo "$*" | tee -a "$report"; }

step() {
  local name=$1
  shift
  [[ "$only" == *" $name "* ]] || return 0
  echo "--- dist-all ${name}"
  local start=$SECONDS
  if "$@" >"$logs/$name.log" 2>&1; then
    note "--- ${name}: ok ($((SECONDS - start)) s)"
    built+=("$name")
  else
    note "--- ${name}: FAILED ($((SECONDS - start)) s); the end of $logs/$name.log:"
    tail -n 15 "$logs/$name.log" | sed 's/^/    /' | tee -a "$report"
    failed+=("$name")
  fi
}

# ---- tools ---------------------------------------------------------------------------------
venv="$target_dir/dist-all-venv"
tools() {
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || return 1
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-dist-all.txt || return 1
  local installed t
  installed="$(rustup target list --installed 2>/dev/null)"
  for t in aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
    grep -qx "$t" <<<"$installed" || timeout 300 rustup target add "$t" || echo "rustup target add $t failed"
  done
}
qemu_ready() {
  if ! command -v qemu-aarch64 >/dev/null || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq qemu-user libc6-arm64-cross >/dev/null 2>&1 ||
        { timeout 300 apt-get update -qq >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq qemu-user libc6-arm64-cross >/dev/null 2>&1; }
    fi
  fi
  command -v qemu-aarch64 >/dev/null
}

# ---- checks --------------------------------------------------------------------------------
# elf FILE MACHINE: the ELF header's machine must be MACHINE; prints machine, linking, newest
# glibc symbol version (must be <= 2.28) and size.
elf() {
  local f=$1 want=$2 machine glibc link
  machine="$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')"
  [ "$machine" = "$want" ] || { echo "$f: ELF machine '$machine', expected '$want'" >&2; return 1; }
  glibc="$(readelf -W --dyn-syms "$f" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)"
  if [ -n "$glibc" ] && [ "$(printf '%s\n' "$glibc" GLIBC_2.28 | sort -V | tail -n 1)" != GLIBC_2.28 ]; then
    echo "$f: needs $glibc, newer than GLIBC_2.28" >&2
    return 1
  fi
  link="$(file -b "$f" | grep -oE 'statically linked|static-pie linked|dynamically linked|interpreter [^,]*' | paste -sd ' ')"
  note "    $(basename "$f"): $machine; ${link:-?}; newest glibc symbol ${glibc:-none}; $(stat -c %s "$f") bytes"
}

zigbuild() { PATH="$venv/bin:$PATH" nice -n "${DIST_NICE:-19}" cargo zigbuild --profile dist "$@"; }

# ---- steps ---------------------------------------------------------------------------------
host() { QFPAY_DOKKA=1 bash scripts/dist.sh "$out" && javadoc_check; }

javadoc_check() {
  local j="$out/java/qfpay-$version-javadoc.jar" listing
  listing="$(unzip -l "$j")" || return 1
  grep -q ' index.html$' <<<"$listing" && grep -q 'com.qfpay/index.html$' <<<"$listing" ||
    { echo "$j: no Dokka HTML (index.html, com.qfpay/index.html)" >&2; return 1; }
  if grep -q 'com.qfpay.ffi' <<<"$listing"; then echo "$j: documents the internal com.qfpay.ffi" >&2; return 1; fi
  note "    $(basename "$j"): Dokka HTML, $(grep -c '\.html$' <<<"$listing") pages, no com.qfpay.ffi; $(stat -c %s "$j") bytes"
}

gnu_aarch64() {
  local t=aarch64-unknown-linux-gnu dir="$target_dir/aarch64-unknown-linux-gnu/dist"
  zigbuild --target "$t.2.28" -p qfpay-cli -p qfpay-node -p qfpay-jvm || return 1
  mkdir -p "$out/cli"
  cp "$dir/qfpay" "$out/cli/qfpay-$version-$t"
  elf "$out/cli/qfpay-$version-$t" AArch64 || return 1
  if qemu_ready; then
    qemu-aarch64 -L /usr/aarch64-linux-gnu "$out/cli/qfpay-$version-$t" demo >"$logs/qemu-gnu-aarch64-demo.log" 2>&1 &&
      grep -q 'refund notification: verified' "$logs/qemu-gnu-aarch64-demo.log" ||
      { echo "the aarch64 CLI's demo under qemu-aarch64 failed" >&2; return 1; }
    note "    qemu-aarch64 (-L /usr/aarch64-linux-gnu): \`qfpay demo\` paid, refunded and verified the notifications"
  else
    note "    qemu-user not available: the aarch64 CLI was not run"
  fi
  node_platform linux-arm64-gnu arm64 glibc "$dir/libqfpay_node.so" AArch64 || return 1
  jar_native linux-aarch64 "$dir/libqfpay_jvm.so" AArch64
}

# node_platform KEY CPU LIBC ADDON MACHINE: @qfpay/KEY as dist/node/qfpay-KEY-<v>.tgz.
node_platform() {
  local key=$1 cpu=$2 libc=$3 addon=$4 machine=$5 stage
  stage="$(mktemp -d)"
  # The platform package as bindings-node/stage.js stages the host's (README, LICENSE files).
  node bindings-node/stage.js platform "$stage" "$addon" "$key" "$cpu" "$libc" || return 1
  elf "$stage/qfpay.$key.node" "$machine" || return 1
  mkdir -p "$out/node"
  rm -f "$out/node/qfpay-$key-"*.tgz
  (cd "$stage" && npm pack --silent --pack-destination "$out/node" >/dev/null) || return 1
  rm -rf "$stage"
  note "    $(basename "$out/node/qfpay-$key-$version.tgz"): $(stat -c %s "$out/node/qfpay-$key-$version.tgz") bytes"
  npm_main
}

# The main package lists every platform package in dist/node: its optional dependencies and
# the loader's table (lib/native.js PACKAGES), so npm installs the right one on each of them.
npm_main() {
  local main="$out/node/qfpay-$version.tgz" stage keys
  [ -f "$main" ] || { echo "no $main (run the host step first)" >&2; return 1; }
  keys="$(cd "$out/node" && ls qfpay-linux-*-"$version".tgz | sed "s/^qfpay-//; s/-$version.tgz\$//" | paste -sd ' ')"
  stage="$(mktemp -d)"
  tar xzf "$main" -C "$stage" || return 1
  node -e "
    const fs = require('fs'); const [dir, version, ...keys] = process.argv.slice(1)
    const pj = dir + '/package.json'; const p = JSON.parse(fs.readFileSync(pj, 'utf8'))
    p.optionalDependencies = Object.fromEntries(keys.map(k => ['@qfpay/' + k, version]))
    fs.writeFileSync(pj, JSON.stringify(p, null, 2) + '\n')
    const nj = dir + '/lib/native.js'; const src = fs.readFileSync(nj, 'utf8')
    const re = /const PACKAGES = \{[^}]*\}/
    if (!re.test(src)) { console.error('lib/native.js: no PACKAGES table'); process.exit(1) }
    const table = 'const PACKAGES = { ' + keys.map(k => \"'\" + k + \"': '@qfpay/\" + k + \"'\").join(', ') + ' }'
    fs.writeFileSync(nj, src.replace(re, table))
  " "$stage/package" "$version" $keys || return 1
  (cd "$stage/package" && npm pack --silent --pack-destination "$out/node" >/dev/null) || return 1
  rm -rf "$stage"
  note "    $(basename "$main") repacked for: $keys"
}

# jar_native PREFIX LIB MACHINE: LIB into the jar (and the file repository's copy) as PREFIX/.
jar_native() {
  local prefix=$1 lib=$2 machine=$3 jar="$out/java/qfpay-$version.jar" stage
  [ -f "$jar" ] || { echo "no $jar (run the host step first)" >&2; return 1; }
  stage="$(mktemp -d)"
  mkdir -p "$stage/$prefix"
  cp "$lib" "$stage/$prefix/libqfpay_jvm.so"
  elf "$stage/$prefix/libqfpay_jvm.so" "$machine" || return 1
  (cd "$stage" && jar uf "$jar" "$prefix/libqfpay_jvm.so") || return 1
  rm -rf "$stage"
  cp "$jar" "$out/java/repo/com/qfpay/qfpay/$version/qfpay-$version.jar"
  note "    $(basename "$jar"): native libraries $(unzip -Z1 "$jar" | grep 'libqfpay_jvm.so$' | paste -sd ' '); $(stat -c %s "$jar") bytes"
}

wheel_aarch64() {
  local t=aarch64-unknown-linux-gnu wheel
  rm -f "$out/python/"qfpay-*aarch64*.whl
  mkdir -p "$out/python"
  # A target directory of its own: maturin's zig wrappers differ from cargo-zigbuild's, so in the
  # shared one each would rebuild the other's C code, and this step can run beside gnu-aarch64.
  (cd bindings-python && PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target_dir/python-aarch64" \
    nice -n "${DIST_NICE:-19}" "$venv/bin/maturin" build --quiet \
    --profile dist --strip --zig --target "$t" --compatibility manylinux_2_28 \
    --interpreter python3.11 --out "$out/python") || return 1
  wheel="$(ls "$out/python/"qfpay-*-abi3-*aarch64*.whl | head -n 1)"
  case "$wheel" in
    *manylinux_2_28_aarch64*|*manylinux_2_17_aarch64*|*manylinux2014_aarch64*) ;;
    *) echo "unexpected wheel tag: $wheel" >&2; return 1 ;;
  esac
  local so stage
  stage="$(mktemp -d)"
  (cd "$stage" && unzip -q "$wheel") || return 1
  so="$(find "$stage" -name '*.so' | head -n 1)"
  note "    $(basename "$wheel"): $(stat -c %s "$wheel") bytes; tag $(sed -n 's/^Tag: //p' "$stage"/*.dist-info/WHEEL | paste -sd ' ')"
  elf "$so" AArch64 || return 1
  rm -rf "$stage"
  # The wheel installed (unpacked: a wheel is a zip) for Debian's aarch64 CPython under qemu,
  # paying in its in-process sandbox.
  local py
  if py="$(arm64_python)"; then
    stage="$(mktemp -d)"
    (cd "$stage" && unzip -q "$wheel") || return 1
    PYTHONPATH="$stage" qemu-aarch64 -L "$target_dir/dist-all-arm64/root" "$py" -c '
import platform
from qfpay.testing import Sandbox
with Sandbox(notify_time_scale=0.001) as sandbox:
    client = sandbox.client()
    payment = client.wechat_qr(2500, "HKD")
    sandbox.pay(payment.out_trade_no)
    found = client.find_payment(payment.out_trade_no)
    assert found is not None and found.state == "succeeded", found
    print("aarch64 wheel under qemu:", platform.machine(), "paid", payment.out_trade_no)
' >"$logs/qemu-wheel-aarch64.log" 2>&1 || { cat "$logs/qemu-wheel-aarch64.log" >&2; return 1; }
    rm -rf "$stage"
    note "    $(tail -n 1 "$logs/qemu-wheel-aarch64.log") (Debian's python3.11:arm64, qemu-aarch64)"
  else
    note "    the aarch64 wheel was not imported: no qemu-user or no Debian arm64 CPython"
  fi
}

# Debian's aarch64 CPython 3.11 unpacked into target/dist-all-arm64/root (apt-get download with
# its own state directory: the machine's apt configuration and dpkg database stay untouched).
# Prints the interpreter's path.
arm64_python() {
  local d="$target_dir/dist-all-arm64" py
  py="$d/root/usr/bin/python3.11"
  qemu_ready >/dev/null 2>&1 || return 1
  if [ ! -x "$py" ]; then
    mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/debs" && touch "$d/status" || return 1
    local a=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$d/lists"
      -o "Dir::Cache=$d/cache" -o "Dir::State::status=$d/status")
    timeout 300 apt-get "${a[@]}" update -qq >&2 &&
      (cd "$d/debs" && timeout 300 apt-get "${a[@]}" download python3.11-minimal libpython3.11-minimal \
        libpython3.11-stdlib libexpat1 zlib1g libc6 libffi8 >&2) || return 1
    rm -rf "$d/root" && mkdir -p "$d/root" && for deb in "$d"/debs/*.deb; do dpkg-deb -x "$deb" "$d/root" || return 1; done
  fi
  echo "$py"
}

musl_cli() {
  local t=$1 machine=$2 f dir="$target_dir/dist-all-musl"
  # musl targets link the C runtime statically by default: one static binary, no libc needed.
  # Their own target directory: the musl steps can run beside the others (`dist-all.sh OUT musl-x86_64 ...`).
  CARGO_TARGET_DIR="$dir" zigbuild --target "$t" -p qfpay-cli || return 1
  f="$out/cli/qfpay-$version-$t"
  mkdir -p "$out/cli"
  cp "$dir/$t/dist/qfpay" "$f"
  elf "$f" "$machine" || return 1
  case "$t" in
    x86_64-*) "$f" demo >"$logs/musl-x86_64-demo.log" 2>&1 && grep -q 'refund notification: verified' "$logs/musl-x86_64-demo.log" ||
      { echo "$f demo failed" >&2; return 1; }
      note "    $(basename "$f") demo: paid, refunded and verified here" ;;
    aarch64-*)
      if qemu_ready; then
        qemu-aarch64 "$f" demo >"$logs/musl-aarch64-demo.log" 2>&1 && grep -q 'refund notification: verified' "$logs/musl-aarch64-demo.log" ||
          { echo "$f demo under qemu failed" >&2; return 1; }
        note "    $(basename "$f") demo under qemu-aarch64: paid, refunded and verified"
      fi ;;
  esac
}

node_musl() {
  local t=x86_64-unknown-linux-musl dir="$target_dir/dist-all-musl-cdylib"
  # A cdylib on musl needs the C runtime linked dynamically (musl's libc.so, as Alpine's node
  # has it): its own target directory, so the static CLI's dependencies stay as they are.
  CARGO_TARGET_DIR="$dir" CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=-crt-static" \
    zigbuild --target "$t" -p qfpay-node || return 1
  node_platform linux-x64-musl x64 musl "$dir/$t/dist/libqfpay_node.so" "Advanced Micro Devices X86-64" || return 1
  if musl_ready; then
    bash scripts/musl-load-check.sh "$dir/$t/dist/libqfpay_node.so" >"$logs/node-musl-load.log" 2>&1 ||
      { cat "$logs/node-musl-load.log" >&2; return 1; }
    note "    qfpay.linux-x64-musl.node $(tail -n 1 "$logs/node-musl-load.log") (scripts/musl-load-check.sh)"
  else
    note "    musl-gcc not available: the musl addon was not loaded"
  fi
}

# Debian's musl-tools (musl-gcc and musl's dynamic loader) for the musl addon's load check.
musl_ready() {
  if ! command -v musl-gcc >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq musl-tools >/dev/null 2>&1 ||
      { timeout 300 apt-get update -qq >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq musl-tools >/dev/null 2>&1; }
  fi
  command -v musl-gcc >/dev/null
}

# ---- run -----------------------------------------------------------------------------------
# A run of some steps only adds to the report of the last full run.
[ "$only" = " tools host gnu-aarch64 wheel-aarch64 musl-x86_64 musl-aarch64 node-musl install " ] && : >"$report"
note "# make dist-all: qfpay $version, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS
step tools tools
step host host
step gnu-aarch64 gnu_aarch64
step wheel-aarch64 wheel_aarch64
step musl-x86_64 musl_cli x86_64-unknown-linux-musl "Advanced Micro Devices X86-64"
step musl-aarch64 musl_cli aarch64-unknown-linux-musl AArch64
step node-musl node_musl
# The repacked npm main package and the jar with more native libraries still install and pay
# here, in clean environments (the same install tests as `make test`).
step install bash tests/install/run.sh "$out"

{
  echo "# dist/ after make dist-all, qfpay $version; bytes, path"
  (cd "$out" && find . -type f ! -name SIZES.txt ! -name DIST-ALL.txt ! -path './java/repo/*' -printf '%s\t%P\n' | sort -k2)
} >"$out/SIZES.txt"
echo
awk -F'\t' 'NR == 1 {print; next} {printf "%12d  %s\n", $1, $2}' "$out/SIZES.txt"
note "dist-all: $((SECONDS - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg); ok: ${built[*]:-none}; failed: ${failed[*]:-none}"
[ ${#failed[@]} -eq 0 ]
