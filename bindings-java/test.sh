#!/usr/bin/env bash
# The JVM binding's tests, from any directory, on a fresh machine (Maven Central is the only
# network it needs): builds the native library and the Kotlin, runs the JUnit 5 suites
# (Java + Kotlin), packages target/qfpay.jar (native library inside) and qfpay-sources.jar, and
# runs a class from that jar with only its declared runtime dependencies (JNA, kotlin-stdlib,
# slf4j-api) beside it and no -Djna.library.path; checks the POM's registry metadata and the
# README and LICENSE files in the jar; installs the jar into the local Maven repository and runs
# the example projects (examples/java/spring-boot, examples/kotlin/ktor) as servers against a
# sandbox (bindings-java/example-projects.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  bash "$here/../scripts/debian-packages.sh" "$here/debian-packages.txt"
fi

# With QFPAY_ARTIFACTS set (make test: scripts/dist.sh ran first), the native library is the
# shipped one: the `dist` profile, which cargo finds already built; otherwise a debug build.
profile=()
[ -n "${QFPAY_ARTIFACTS:-}" ] && profile=(-Dcargo.profile=dist)
# `install` = verify, then the jar into ~/.m2 for the example projects (one build, one repository).
mvn -B -f "$here/pom.xml" "${profile[@]}" install

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

# Registry metadata (Maven Central requires url, licenses, scm, developers, description), read
# from the POM inside the jar, and the guide and both licences inside the jar.
jar_entry() { python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$here/target/qfpay.jar" "$1"; }
pom="$(jar_entry META-INF/maven/com.qfpay/qfpay/pom.xml)"
for field in '<url>https://github.com/qfpay-sdk/qfpay/blob/main/bindings-java/README.md</url>' \
    '<name>MIT</name>' '<name>Apache-2.0</name>' '<developerConnection>scm:git:' \
    '<url>https://github.com/qfpay-sdk/qfpay</url>' '<developer>' '<description>QFPay'; do
  grep -qF -- "$field" <<<"$pom" || { echo "metadata check: $field missing from the POM in qfpay.jar" >&2; exit 1; }
done
for f in META-INF/README.md META-INF/LICENSE-MIT META-INF/LICENSE-APACHE; do
  grep -qx "$f" <<<"$listing" || { echo "metadata check: $f missing from qfpay.jar" >&2; exit 1; }
done
cmp -s <(jar_entry META-INF/README.md) "$here/README.md" \
  || { echo "metadata check: META-INF/README.md in qfpay.jar is not bindings-java/README.md" >&2; exit 1; }
echo "metadata check: url, licenses (MIT, Apache-2.0), scm, developers, description; README.md, LICENSE-MIT, LICENSE-APACHE in qfpay.jar"

# The example projects, against the qfpay just installed; the sandbox is the CLI's.
(cd "$here/.." && cargo build -q -p qfpay-cli)
python3 "$here/example-projects.py"
