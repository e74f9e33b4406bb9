#!/usr/bin/env bash
# The JVM binding's tests, from any directory, on a fresh machine (Maven Central is the only
# network it needs): builds the native library and the Kotlin, runs the JUnit 5 suites
# (Java + Kotlin), packages target/qfpay.jar (native library inside) and qfpay-sources.jar, and
# runs a class from that jar with only its declared runtime dependencies (JNA, kotlin-stdlib,
# slf4j-api) beside it and no -Djna.library.path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  bash "$here/../scripts/debian-packages.sh" "$here/debian-packages.txt"
fi

# With QFPAY_ARTIFACTS set (make test: scripts/dist.sh ran first), the native library is the
# shipped one: the `dist` profile, which cargo finds already built; otherwise a debug build.
profile=()
[ -n "${QFPAY_ARTIFACTS:-}" ] && profile=(-Dcargo.profile=dist)
mvn -B -f "$here/pom.xml" "${profile[@]}" verify

# The jar check again, outside Maven, from an unrelated directory and with a clean environment:
# `java -cp qfpay.jar:<its runtime dependencies>`, nothing else.
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$cp_file" >/dev/null
deps="$(cat "$cp_file")"
for a in jna kotlin-stdlib slf4j-api; do
  [[ "$deps" == *"/$a-"*.jar* ]] || { echo "jar check: $a missing from the runtime classpath: $deps" >&2; exit 1; }
done
# Listed whole first: `jar tf | grep -q` can fail under pipefail when grep stops reading early.
listing="$(jar tf "$here/target/qfpay.jar")"
if grep -q '^kotlin/' <<<"$listing"; then
  echo "jar check: qfpay.jar contains kotlin/ classes (the stdlib must be a dependency, not shaded)" >&2
  exit 1
fi
cd "$(mktemp -d)"
env -u LD_LIBRARY_PATH -u JAVA_TOOL_OPTIONS -u CLASSPATH java -cp "$here/target/qfpay.jar:$deps" com.qfpay.SelfCheck
if grep -qx 'linux-x86-64/libqfpay_jvm.so' <<<"$listing"; then
  echo "jar check: linux-x86-64/libqfpay_jvm.so is in qfpay.jar"
else
  echo "jar check: linux-x86-64/libqfpay_jvm.so missing from qfpay.jar" >&2
  exit 1
fi
