#!/usr/bin/env bash
# Benchmarks of the JVM binding (a plain timed harness, not a test), with the release build of
# the native library. Writes bindings-java/BENCHMARKS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/target/bench"
mkdir -p "$out"

mvn -B -q -f "$here/pom.xml" -Dcargo.profile=release -DskipTests -DskipSelfCheck=true package
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$out/cp.txt" >/dev/null
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
  echo "SDK's signer called from Java. The MD5 itself is not the cost: every call through the"
  echo "uniffi-generated Kotlin allocates JNA \`Structure\`s (the call status, the returned buffer),"
  echo "and each JNA \`Memory\` is registered in a global \`ConcurrentHashMap\` until the GC runs its"
  echo "cleaner (JFR: most samples in \`Memory.<init>\` -> \`ConcurrentHashMap.putVal\`), so one FFI"
  echo "round trip costs tens of microseconds and gets worse under allocation pressure. That is fine for"
  echo "one call per payment, and the client signs inside Rust without crossing the boundary; call"
  echo "\`Signing.sign\` from Java only to debug a signature, not in a hot loop."
  echo
  echo "The payment rows compare the SDK (validation, signing, HTTP through the core's reqwest pool,"
  echo "JSON decode, one JNA round trip) with a hand-written \`java.net.http.HttpClient\` client"
  echo "(HTTP/1.1 keep-alive, seed signing, only checks that the body contains \"0000\"). Each row is the"
  echo "median of interleaved rounds; the machine is shared with other builds, so the ranges are wide."
} > "$here/BENCHMARKS.md"
cat "$here/BENCHMARKS.md"
