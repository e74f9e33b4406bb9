#!/usr/bin/env bash
# Install tests: every artifact in dist/ (scripts/dist.sh) installed in a clean environment
# outside the repository, then one sandbox payment through it. The sandbox is dist/'s own CLI
# binary (`qfpay sandbox --port 0`), a fresh one per language.
#   python  a fresh venv, `pip install --no-index <wheel>`, run from a temp dir with `python -I`;
#           the wheel's platform tag must be no newer than manylinux_2_28
#   node    a fresh npm project, `npm install --offline <main.tgz> <platform.tgz>`, an ES module
#           and a CommonJS payment; without the platform package the loader must say how to
#           build from source
#   java    `mvn install:install-file` into a file:// repository, a fresh Maven project (own
#           local repository: Maven Central only) that compiles and runs a payment; `unzip -l`
#           of the jar shows no unrelocated `kotlin/` classes
#   php     a temp php.ini with extension=<dist>/php/qfpay.so (when the PHP binding exists)
# Usage: tests/install/run.sh [DIST_DIR [LANG...]]   (default: dist, all of python node java php)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)" || { echo "no dist directory: run make dist" >&2; exit 1; }
shift || true
only=" ${*:-python node java php} "
work="$(mktemp -d /tmp/qfpay-install.XXXXXX)"
sandbox_pid=""
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

failed=()
passed=()
skipped=()
check() {
  local name=$1
  shift
  [[ "$only" == *" $name "* ]] || return 0
  if [ ! -d "$dist/$name" ]; then
    # scripts/dist.sh makes dist/<lang> only when that binding has a dist.sh.
    skipped+=("$name")
    echo "--- install ${name}: skipped (no $dist/$name: the binding has no dist.sh)"
    return 0
  fi
  echo "--- install ${name}"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name")
    echo "--- install ${name}: ok ($((SECONDS - start)) s)"
  else
    failed+=("$name")
    echo "--- install ${name}: FAILED ($((SECONDS - start)) s)" >&2
  fi
}

# A fresh sandbox from dist/cli; exports QFPAY_BASE_URL / QFPAY_APP_CODE / QFPAY_CLIENT_KEY.
start_sandbox() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  local cli
  # This machine's CLI (`make dist-all` puts aarch64 and musl ones beside it).
  cli="$(ls "$dist"/cli/qfpay-*-"$(uname -m)"-unknown-linux-gnu 2>/dev/null | head -n 1)"
  [ -x "$cli" ] || { echo "no CLI in $dist/cli" >&2; return 1; }
  local fifo="$work/sandbox.out"
  rm -f "$fifo"
  "$cli" sandbox --port 0 >"$fifo" 2>/dev/null &
  sandbox_pid=$!
  for _ in $(seq 100); do
    [ -s "$fifo" ] && break
    sleep 0.1
  done
  local line
  line="$(head -n 1 "$fifo")"
  eval "$(python3 -c 'import json,sys,shlex; d=json.loads(sys.argv[1]); print(" ".join("export %s=%s" % (k, shlex.quote(d[v])) for k, v in [("QFPAY_BASE_URL","base_url"),("QFPAY_APP_CODE","app_code"),("QFPAY_CLIENT_KEY","client_key")]))' "$line")" ||
    { echo "sandbox printed: $line" >&2; return 1; }
  unset QFPAY_ENV QFPAY_MCHID QFPAY_SIGN_TYPE
  echo "sandbox at $QFPAY_BASE_URL"
}

python_install() {
  local wheel
  # This machine's wheel (`make dist-all` puts the aarch64 one beside it).
  wheel="$(ls "$dist"/python/qfpay-*_"$(uname -m)".whl 2>/dev/null | head -n 1)"
  [ -f "$wheel" ] || { echo "no wheel in $dist/python" >&2; return 1; }
  echo "wheel: $(basename "$wheel")"
  # Platform tag: manylinux_2_X (or manylinux2014 = 2.17, manylinux_2_5/2010...) with X <= 28.
  python3 - "$wheel" <<'EOF' || return 1
import re, sys
name = sys.argv[1].rsplit("/", 1)[-1]
plats = name[:-4].split("-")[-1].split(".")
worst = 0
for p in plats:
    m = re.match(r"manylinux_(\d+)_(\d+)_", p)
    if m:
        glibc = (int(m.group(1)), int(m.group(2)))
    elif p.startswith("manylinux2014_"):
        glibc = (2, 17)
    elif p.startswith("manylinux2010_"):
        glibc = (2, 12)
    elif p.startswith("manylinux1_"):
        glibc = (2, 5)
    elif p.startswith("musllinux_"):
        continue
    else:
        sys.exit(f"wheel platform tag {p!r} is not a manylinux tag")
    worst = max(worst, glibc[1] if glibc[0] == 2 else 99)
if worst > 28:
    sys.exit(f"wheel tag needs glibc 2.{worst}: newer than manylinux_2_28 ({name})")
print(f"wheel tag ok: needs glibc >= 2.{worst} ({'.'.join(plats)})")
EOF
  local py="${PYTHON:-python3.11}"
  command -v "$py" >/dev/null 2>&1 || py=python3
  "$py" -m venv "$work/venv" &&
    "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel" || return 1
  start_sandbox || return 1
  mkdir -p "$work/py" && cd "$work/py" || return 1
  env -u PYTHONPATH "$work/venv/bin/python" -I - "$root" <<'EOF'
import sys, qfpay
root = sys.argv[1]
assert not any(p.startswith(root) for p in sys.path if p), sys.path
assert qfpay.__file__.startswith(sys.prefix), qfpay.__file__
client = qfpay.Client.from_env()
p = client.wechat_qr(1001, "HKD", goods_name="install test")   # 1001: paid at once
t = client.find_payment(p.out_trade_no)
assert t is not None and t.state == "succeeded", t
print("python: paid", p.out_trade_no, "from", qfpay.__file__)
EOF
  local status=$?
  cd "$root" || return 1
  return $status
}

node_install() {
  local tgzs main platform
  mapfile -t tgzs < <(ls "$dist"/node/*.tgz 2>/dev/null)
  [ ${#tgzs[@]} -gt 0 ] || { echo "no npm tarballs in $dist/node" >&2; return 1; }
  main=""
  platform=""
  for t in "${tgzs[@]}"; do
    case "$(basename "$t")" in
      qfpay-linux-x64-gnu-*.tgz) platform="$t" ;;
      qfpay-[0-9]*.tgz) main="$t" ;;
    esac
  done
  [ -n "$main" ] || { echo "no main package tarball (qfpay-<version>.tgz) in $dist/node: ${tgzs[*]}" >&2; return 1; }
  echo "npm: $(basename "$main") ${platform:+$(basename "$platform")}"
  local proj="$work/npm-app"
  mkdir -p "$proj" && cd "$proj" || return 1
  echo '{"name": "install-test", "version": "1.0.0", "private": true}' >package.json
  npm install --offline --no-audit --no-fund --loglevel=error "$main" ${platform:+"$platform"} || { cd "$root"; return 1; }
  start_sandbox || { cd "$root"; return 1; }
  cat >pay.mjs <<'EOF'
import { Client } from 'qfpay'
const client = Client.fromEnv()
const p = await client.wechatQr({ amount: 1001, currency: 'HKD', goodsName: 'install test' })
const t = await client.findPayment(p.outTradeNo)
if (!t || t.state !== 'succeeded') throw new Error(`not paid: ${JSON.stringify(t)}`)
console.log('node (ESM): paid', p.outTradeNo)
EOF
  cat >pay.cjs <<'EOF'
const { Client } = require('qfpay')
Client.fromEnv().wechatQr({ amount: 1001, currency: 'HKD' }).then(p => console.log('node (CJS): paid', p.outTradeNo))
EOF
  node pay.mjs && node pay.cjs || { cd "$root"; return 1; }
  # Without the platform package (what a machine with no prebuilt addon gets), the loader must
  # fail with a message naming the platform and how to build from source.
  local bare="$work/npm-bare"
  mkdir -p "$bare" && cd "$bare" || return 1
  echo '{"name": "install-test-bare", "version": "1.0.0", "private": true}' >package.json
  npm install --offline --no-audit --no-fund --loglevel=error --omit=optional "$main" >/dev/null 2>&1 ||
    { echo "npm install of the main package alone failed" >&2; cd "$root"; return 1; }
  local msg
  msg="$(node -e "require('qfpay')" 2>&1)"
  cd "$root" || return 1
  if [[ "$msg" == *"build from source"* || "$msg" == *"Build from source"* ]]; then
    echo "node: without the platform package: $(grep -m1 -iE 'unsupported|build from source' <<<"$msg")"
  else
    echo "node: the loader's error without the platform package does not say how to build from source:" >&2
    echo "$msg" | head -n 20 >&2
    return 1
  fi
}

java_install() {
  local jar pom sources javadoc
  jar="$(ls "$dist"/java/qfpay-*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -n 1)"
  pom="$(ls "$dist"/java/*.pom "$dist"/java/pom.xml 2>/dev/null | head -n 1)"
  sources="$(ls "$dist"/java/qfpay-*-sources.jar 2>/dev/null | head -n 1)"
  javadoc="$(ls "$dist"/java/qfpay-*-javadoc.jar 2>/dev/null | head -n 1)"
  [ -f "$jar" ] && [ -f "$pom" ] || { echo "need the jar and its pom in $dist/java: $(ls "$dist/java" 2>/dev/null)" >&2; return 1; }
  echo "jar: $(basename "$jar"), pom: $(basename "$pom")${sources:+, sources}${javadoc:+, javadoc}"
  [ -n "$sources" ] && [ -n "$javadoc" ] || { echo "missing -sources or -javadoc jar" >&2; return 1; }
  local kotlin
  kotlin="$(unzip -l "$jar" | awk '{print $4}' | grep -c '^kotlin/')"
  if [ "$kotlin" -ne 0 ]; then
    echo "jar carries $kotlin unrelocated kotlin/ entries" >&2
    return 1
  fi
  echo "jar: no unrelocated kotlin/ entries"
  local group artifact version
  read -r group artifact version < <(python3 - "$pom" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
r = ET.parse(sys.argv[1]).getroot()
g = r.find("m:groupId", ns); a = r.find("m:artifactId", ns); v = r.find("m:version", ns)
g = g if g is not None else r.find("m:parent/m:groupId", ns)
print(g.text, a.text, v.text)
EOF
)
  local repo="$work/maven-repo" m2="$work/m2"
  mvn -B -q -Dmaven.repo.local="$m2" install:install-file -Dfile="$jar" -DpomFile="$pom" \
    -Dsources="$sources" -Djavadoc="$javadoc" -DlocalRepositoryPath="$repo" || return 1
  rm -rf "$m2/${group//.//}/$artifact"   # only the file:// repository has it
  local proj="$work/mvn-app"
  mkdir -p "$proj/src/main/java/app"
  cat >"$proj/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>app</groupId><artifactId>install-test</artifactId><version>1</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <repositories><repository><id>dist</id><url>file://$repo</url></repository></repositories>
  <dependencies>
    <dependency><groupId>$group</groupId><artifactId>$artifact</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
EOF
  cat >"$proj/src/main/java/app/Pay.java" <<'EOF'
package app;

import com.qfpay.*;

public class Pay {
    public static void main(String[] args) {
        try (QfPayClient client = QfPayClient.fromEnv()) {
            Payment p = client.wechatQr(1001, "HKD");
            Transaction t = client.findPayment(p.getOutTradeNo());
            if (t == null || t.getState() != TransactionState.SUCCEEDED) {
                throw new IllegalStateException("not paid: " + t);
            }
            System.out.println("java: paid " + p.getOutTradeNo());
        }
    }
}
EOF
  start_sandbox || return 1
  mvn -B -q -f "$proj/pom.xml" -Dmaven.repo.local="$m2" compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -DincludeScope=runtime || return 1
  (cd "$work" && env -u CLASSPATH -u JAVA_TOOL_OPTIONS java -cp "$proj/target/classes:$(cat "$work/cp.txt")" app.Pay)
}

php_install() {
  local so="$dist/php/qfpay.so"
  [ -f "$so" ] || { echo "no $so" >&2; return 1; }
  command -v php >/dev/null 2>&1 || { echo "php not installed (bindings-php/test.sh installs php8.2-cli)" >&2; return 1; }
  local ini="$work/php.ini"
  printf 'extension=%s\n' "$so" >"$ini"
  start_sandbox || return 1
  mkdir -p "$work/php" && cd "$work/php" || return 1
  cat >pay.php <<'EOF'
<?php
$client = \QfPay\Client::fromEnv();
$p = $client->wechatQr(1001, 'HKD');
$t = $client->findPayment($p->outTradeNo);
if ($t === null || $t->state !== 'succeeded') {
    fwrite(STDERR, "not paid\n");
    exit(1);
}
echo "php: paid {$p->outTradeNo}\n";
EOF
  PHP_INI_SCAN_DIR= php -c "$ini" pay.php
  local status=$?
  cd "$root" || return 1
  return $status
}

check python python_install
check node node_install
check java java_install
check php php_install

echo "install: ${#passed[@]} passed, ${#failed[@]} failed${failed:+ (${failed[*]})}${skipped:+, skipped: ${skipped[*]}}"
[ ${#failed[@]} -eq 0 ]
