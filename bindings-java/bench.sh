#!/usr/bin/env bash
# Benchmarks of the JVM binding (a plain timed harness, not a test), with the release build of
# the native library. Writes bindings-java/BENCHMARKS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/target/bench"
mkdir -p "$out"

mvn -B -q -f "$here/pom.xml" -Dcargo.profile=release -DskipTests -DskipSelfCheck=true package
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$out/cp.txt" >/dev/null
cp="$here/target/qfpay.jar:$(cat "$out/cp.txt")"
javac -d "$out" -cp "$cp" "$here/bench/Bench.java"
rows="$(java -cp "$out:$cp" Bench)"

{
  echo "# JVM binding benchmarks"
  echo
  echo "\`bindings-java/bench.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)."
  echo "Release native library; the sandbox runs in the same JVM (its own Rust threads) for both clients;"
  echo "rate limit off; every payment is a WeChat QR payment (800201, txamt 1001: paid at once) with a fresh out_trade_no."
  echo
  echo "| what | result |"
  echo "|---|---|"
  echo "$rows"
  echo
  echo "Signing compares the seed's \`QFPayUtils\` approach (sort, join, MD5, uppercase hex) with the"
  echo "SDK's signer, which crosses JNA and copies the map into Rust on every call. The payment"
  echo "rows compare the SDK (validation, signing, HTTP through the core's reqwest pool, JSON decode,"
  echo "JNA in and out) with a hand-written \`java.net.http.HttpClient\` (HTTP/1.1 keep-alive) client"
  echo "that signs like the seed and only checks that the body contains \"0000\"."
} > "$here/BENCHMARKS.md"
cat "$here/BENCHMARKS.md"
