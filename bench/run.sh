#!/usr/bin/env bash
# `make bench`: the cross-language benchmark (issue 13 item 4). Builds the release artifacts once
# (each binding's own build), then bench/run.py starts ONE sandbox process and runs every
# language's SDK and its best hand-written client against it in interleaved rounds, and writes
# the table into BENCHMARKS.md. Everything talks only to 127.0.0.1. Not a test.
#
#   BENCH_ROUNDS=5 BENCH_SECONDS=3 BENCH_WARMUP=1   rounds and seconds per run (the defaults)
#   BENCH_LANGS=rust,python,node,java,php           a subset (default: every language present)
#   BENCH_SKIP_BUILD=1                              reuse the artifacts of the last build
#   BENCH_WRITE=0                                   do not edit BENCHMARKS.md (report in target/bench/)
#   BENCH_SUITE=transactions BENCH_RECORDS=100000   the transactions walk (bench/transactions.py) instead
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/target/bench"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
langs=",${BENCH_LANGS:-rust,python,node,java,php},"
want() { [[ "$langs" == *",$1,"* ]]; }
build=1
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] && build=0
step() { echo "== bench: $*" >&2; }

# ---- Rust: the sandbox (the CLI) and the native reference client.
if [ "$build" = 1 ]; then
  step "cargo build --release (qfpay CLI, native reference client)"
  cargo build --release -q -p qfpay-cli -p qfpay-bench
fi
export QFPAY_CLI="$CARGO_TARGET_DIR/release/qfpay"
want rust && export BENCH_RUST="$CARGO_TARGET_DIR/release/qfpay-bench-rust"

# ---- Python: a bench venv with the release wheel and the hand-written clients' deps.
if want python; then
  venv="$out/venv"
  python="${PYTHON:-python3.11}"
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ "$build" = 1 ]; then
    step "Python: bench venv, maturin release wheel"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/bench/requirements.txt"
    rm -rf "$out/wheels"
    (cd bindings-python && "$venv/bin/maturin" build --release --quiet --out "$out/wheels")
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$out"/wheels/qfpay-*.whl
  fi
  export BENCH_PYTHON="$venv/bin/python"
fi

# ---- Node: the package's release build, copied aside so the binding's own debug build is untouched.
if want node; then
  pkg="$out/node-qfpay"
  if [ "$build" = 1 ]; then
    step "Node: napi build --release, undici"
    (cd bindings-node && npm ci --no-audit --no-fund --silent && npx napi build --platform --release --output-dir "$out/napi" >/dev/null)
    rm -rf "$pkg" && mkdir -p "$pkg"
    # lib/ loads the addon itself (napi's generated index.js is not part of the package's code).
    cp -r bindings-node/lib bindings-node/package.json "$pkg/"
    cp "$out"/napi/*.node "$pkg/"
    (cd bench/node && npm ci --no-audit --no-fund --silent)
  fi
  export BENCH_NODE_PACKAGE="$pkg"
fi

# ---- JVM: the Maven jar with the release native library, the client compiled against it.
if want java; then
  jdir="$out/java"
  if [ "$build" = 1 ]; then
    step "JVM: mvn package (release native library), javac"
    mvn -B -q -f bindings-java/pom.xml -Dcargo.profile=release -DskipTests -DskipSelfCheck=true package
    # (JVM helper) -DincludeScope, not -Dmdep.includeScope: the latter is ignored, which put the
    # test-scoped logback on the classpath and made the SDK log every request at DEBUG to stdout.
    mvn -B -q -f bindings-java/pom.xml dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$out/java-cp.txt" >/dev/null
    rm -rf "$jdir" && mkdir -p "$jdir/classes"
    cp bindings-java/target/qfpay.jar "$jdir/qfpay.jar"
    echo "$jdir/qfpay.jar:$(cat "$out/java-cp.txt")" > "$jdir/cp.txt"
    javac -d "$jdir/classes" -cp "$(cat "$jdir/cp.txt")" bench/clients/JavaClients.java
  fi
  export BENCH_JAVA_CP="$jdir/classes:$(cat "$jdir/cp.txt")"
fi

# ---- PHP: only when the binding exists (the extension built as bindings-php/test.sh builds it, release).
export BENCH_PHP=""
if want php && [ -d bindings-php ]; then
  so="$out/php/qfpay.so"
  if [ "$build" = 1 ]; then
    missing=()
    for p in php8.2-cli php8.2-dev php8.2-curl libclang-dev; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      step "PHP: apt-get install ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    step "PHP: cargo build --release -p qfpay-php --features php"
    cargo build --release -q -p qfpay-php --features php
    mkdir -p "$out/php" && cp "$CARGO_TARGET_DIR/release/libqfpay_php.so" "$so"
  fi
  if [ -f "$so" ]; then
    export BENCH_PHP="php -d extension=$so"
  else
    echo "bench: bindings-php exists but $so was not built; PHP is left out" >&2
  fi
fi

# BENCH_SUITE=transactions (make bench-transactions): every transaction of a seeded year instead.
exec "${BENCH_PYTHON:-python3}" "$root/bench/${BENCH_SUITE:-run}.py"
