#!/usr/bin/env bash
# Issue 12's speed rule, measured (not a test): with logging off, sequential payments/s must stay
# within 3 % of the core the observability work started from. Builds the blocking benchmark
# (bench/rust/examples/bench_blocking.rs, the path of the Python sync, JVM sync and PHP clients) from
# this tree and from each commit in BASES (default: e956489, the commit before the event model
# landed, and 834d733, the event model and everything else of that session, before this
# session's speed work), each with this tree's copy of the example; runs them all against ONE
# separate sandbox process in interleaved rounds and prints medians, per-round ratios and the
# calling thread's CPU per call. With CALLGRIND=1 it also counts user-space instructions per
# payment under valgrind (exact, independent of the machine's load).
#
#   bash bench/observability.sh [rounds, default 7] [payments per run, default 3000]
#   BASE_DIR=/path   where the worktrees and target directories of BASES go (default target/bench/observability)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
read -r -a bases <<<"${BASES:-e956489 834d733}"
rounds="${1:-7}"
n="${2:-3000}"
out="$root/target/bench/observability"
dir="${BASE_DIR:-$out}"
mkdir -p "$out" "$dir"

cargo build -q --release -p qfpay-bench --example bench_blocking -p qfpay-cli
exes=()
for b in "${bases[@]}"; do
  wt="$dir/$b-worktree"
  [ -d "$wt" ] || git worktree add -f --detach "$wt" "$b" >/dev/null
  # Older trees kept the benchmark in core/examples; it builds there against their core.
  mkdir -p "$wt/core/examples"
  cp bench/rust/examples/bench_blocking.rs "$wt/core/examples/bench_blocking.rs"
  (cd "$wt" && CARGO_TARGET_DIR="$dir/$b-target" cargo build -q --release -p qfpay --example bench_blocking)
  exes+=("$b=$dir/$b-target/release/examples/bench_blocking")
done
exes+=("this tree=$root/target/release/examples/bench_blocking")

"$root/target/release/qfpay" sandbox --json --port 0 --rate-limit off >"$out/sandbox.json" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$out/sandbox.json" ] && break; sleep 0.1; done
eval "$(python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); print("export QFPAY_BASE_URL=%s QFPAY_APP_CODE=%s QFPAY_CLIENT_KEY=%s" % (d["base_url"], d["app_code"], d["client_key"]))' "$out/sandbox.json")"

python3 - "$rounds" "$n" "${CALLGRIND:-0}" "${exes[@]}" <<'PY'
import re, statistics as st, subprocess, sys
rounds, n, callgrind = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
exes = [tuple(a.split("=", 1)) for a in sys.argv[4:]]
first = exes[0][0]
def run(exe):
    out = subprocess.run([exe, n], capture_output=True, text=True, check=True).stdout
    seq = [(float(a), float(c)) for a, c in re.findall(r"sequential: (\d+) /s .*?, ([\d.]+) us CPU", out)]
    return max(r for r, _ in seq), min(c for _, c in seq)  # the best of the run's 3 loops
rates = {name: [] for name, _ in exes}
cpus = {name: [] for name, _ in exes}
for i in range(rounds):
    order = exes[i % len(exes):] + exes[:i % len(exes)]  # rotated each round
    for name, exe in order:
        r, c = run(exe)
        rates[name].append(r); cpus[name].append(c)
load = open("/proc/loadavg").read().split()[:3]
print(f"sequential blocking payments, separate sandbox process, {rounds} interleaved rounds of 3 x {n} payments; load average {' '.join(load)} at the end\n")
print(f"| core (logging off: no observer, no subscriber) | payments/s, median (min–max) | ÷ {first}, per round | CPU of the calling thread per payment |")
print("|---|---:|---:|---:|")
for name, _ in exes:
    xs = rates[name]
    ratios = [a / b for a, b in zip(xs, rates[first])]
    print(f"| {name} | {st.median(xs):,.0f} ({min(xs):,.0f}–{max(xs):,.0f}) | {st.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) | {st.median(cpus[name]):.1f} µs |")
if callgrind:
    def instr(exe, k):
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, str(k)], capture_output=True, text=True)
        m = re.search(r"Collected : (\d+)", r.stderr)
        return int(m.group(1)) if m else 0
    # bench_blocking N makes 1 + 3N sequential calls, then N from 4 threads and 16 x (N / 16) from
    # 16: the difference between two runs over the difference in calls is one payment's cost,
    # start-up (runtime, TLS roots) excluded.
    def calls(k):
        return 1 + 3 * k + 4 * (k // 4) + 16 * (k // 16)
    per = {name: (instr(exe, 320) - instr(exe, 160)) / (calls(320) - calls(160)) for name, exe in exes}
    print(f"\n| core | user-space instructions per payment (valgrind) | ÷ {first} |\n|---|---:|---:|")
    for name, _ in exes:
        print(f"| {name} | {per[name]:,.0f} | {per[name] / per[first]:.3f} |")
PY
