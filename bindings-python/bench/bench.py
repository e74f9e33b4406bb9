"""Benchmarks of the Python binding (not a test). Talks only to 127.0.0.1 (an in-process
sandbox with the rate limit off). Prints a Markdown report on stdout.

    python bench/bench.py [--payments N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

import requests

import qfpay
from qfpay.testing import Merchant, Sandbox

SEED_MERCHANT = Merchant("D5589D2A1F2E42A9A60C37*********", "0E32A59A8B454940A2FF39**********", "ZaMVg*****")
AMOUNT = 10  # the seed's txamt: an MPM order that waits for the scan (no notification)


# The seed's signing function, verbatim (indentation restored).
def make_req_sign(data, key):  # type: ignore[no-untyped-def]
    keys = list(data.keys())
    keys.sort()
    p = []
    for k in keys:
        v = data[k]
        p.append('%s=%s'%(k,v))
    unsign_str = ('&'.join(p) + key).encode("utf-8")
    s = hashlib.md5(unsign_str).hexdigest()
    return s.upper()


def seed_payload(out_trade_no: str = "01234567890123") -> dict[str, Any]:
    current_time = datetime.datetime.now().replace(microsecond=0)
    return {"txamt": "10", "txcurrcd": "HKD", "pay_type": "800201", "out_trade_no": out_trade_no,
            "txdtm": current_time, "mchid": "ZaMVg*****"}


def import_time(runs: int = 15) -> tuple[float, float]:
    code = "import time; t = time.perf_counter(); import qfpay; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        samples.append(float(out) * 1000)
    return statistics.median(samples), min(samples)


def per_call_us(fn: Callable[[], object], number: int) -> float:
    best = min(timeit.repeat(fn, number=number, repeat=5))
    return best / number * 1e6


def signing(key: str) -> dict[str, float]:
    data = seed_payload()
    data_str = dict(data, txdtm=str(data["txdtm"]))
    n = 50_000
    return {
        "seed_datetime": per_call_us(lambda: make_req_sign(data, key), n),
        "qfpay_datetime": per_call_us(lambda: qfpay.sign(data, key), n),
        "seed_str": per_call_us(lambda: make_req_sign(data_str, key), n),
        "qfpay_str": per_call_us(lambda: qfpay.sign(data_str, key), n),
    }


def rate(n: int, one: Callable[[int], None]) -> float:
    one(-1)  # warm-up (connection, first-call costs)
    start = time.perf_counter()
    for i in range(n):
        one(i)
    return n / (time.perf_counter() - start)


def sequential(sb: Sandbox, n: int) -> dict[str, float]:
    key, app = sb.client_key, sb.app_code
    url = sb.base_url + "/trade/v1/payment"
    run = time.time_ns()

    def seed_post(i: int) -> None:
        data = seed_payload(f"seed{run}x{i}")
        r = requests.post(url, data=data, headers={"X-QF-APPCODE": app, "X-QF-SIGN": make_req_sign(data, key)})
        assert r.json()["respcd"] == "0000"

    session = requests.Session()

    def session_post(i: int) -> None:
        data = seed_payload(f"sess{run}x{i}")
        r = session.post(url, data=data, headers={"X-QF-APPCODE": app, "X-QF-SIGN": make_req_sign(data, key)})
        assert r.json()["respcd"] == "0000"

    client = sb.client()

    def sdk(i: int) -> None:
        p = client.wechat_qr(AMOUNT, "HKD")
        assert p.respcd == "0000"

    out = {}
    for name, fn in (("seed", seed_post), ("session", session_post), ("qfpay", sdk)):
        sb.reset()
        out[name] = rate(n, fn)
    # Logging off entirely (nothing listens even for warnings): no observer is installed.
    import logging

    logging.disable(logging.CRITICAL)
    try:
        offs, ons = [], []
        for _ in range(3):
            sb.reset()
            offs.append(rate(n, sdk))
            logging.disable(logging.NOTSET)
            sb.reset()
            ons.append(rate(n, sdk))
            logging.disable(logging.CRITICAL)
        out["qfpay_log_off"] = statistics.median(offs)
        out["qfpay_log_default"] = statistics.median(ons)
    finally:
        logging.disable(logging.NOTSET)
    return out


def threads16(sb: Sandbox, n: int) -> float:
    import threading

    client = sb.client()
    client.wechat_qr(AMOUNT, "HKD")
    per = max(1, n // 16)

    def work() -> None:
        for _ in range(per):
            client.wechat_qr(AMOUNT, "HKD")

    sb.reset()
    start = time.perf_counter()
    ts = [threading.Thread(target=work) for _ in range(16)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return per * 16 / (time.perf_counter() - start)


def concurrent(sb: Sandbox, rounds: int = 5, width: int = 64) -> dict[str, float]:
    async def main() -> list[float]:
        client = sb.async_client()
        await client.wechat_qr(AMOUNT)
        walls = []
        for _ in range(rounds):
            start = time.perf_counter()
            payments = await asyncio.gather(*(client.wechat_qr(AMOUNT, "HKD") for _ in range(width)))
            walls.append(time.perf_counter() - start)
            assert all(p.respcd == "0000" for p in payments)
        return walls

    sb.reset()
    walls = asyncio.run(main())
    best = min(walls)
    return {"wall_ms_median": statistics.median(walls) * 1000, "wall_ms_best": best * 1000,
            "per_second": width / statistics.median(walls)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--payments", type=int, default=300)
    args = ap.parse_args()

    imp_median, imp_min = import_time()
    with Sandbox([SEED_MERCHANT], rate_limit=False) as sb:
        sig = signing(sb.client_key)
        seq = sequential(sb, args.payments)
        conc = concurrent(sb)
        thr = threads16(sb, args.payments * 2)

    cpu = platform.processor() or platform.machine()
    print("## Python binding (`qfpay` wheel, release build)\n")
    print(f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, shared with other builds; "
          f"sandbox in-process on 127.0.0.1, rate limit off. Produced by `bindings-python/bench.sh`.\n")
    print("| measurement | result | target |")
    print("|---|---|---|")
    print(f"| `import qfpay` (fresh interpreter, median of 15) | {imp_median:.1f} ms (min {imp_min:.1f} ms) | < 50 ms |")
    print(f"| sign the seed's payload (`txdtm` a `datetime`, as in the seed): seed `make_req_sign` | {sig['seed_datetime']:.2f} µs | |")
    print(f"| same payload: `qfpay.sign` | {sig['qfpay_datetime']:.2f} µs (**{sig['seed_datetime'] / sig['qfpay_datetime']:.1f}x**) | ≥ 3x |")
    print(f"| seed payload with `txdtm` already a str: seed / `qfpay.sign` | {sig['seed_str']:.2f} µs / {sig['qfpay_str']:.2f} µs (**{sig['seed_str'] / sig['qfpay_str']:.1f}x**) | ≥ 3x |")
    print(f"| sequential payments, seed sample (`requests.post`, new connection each) | {seq['seed']:.0f} /s | |")
    print(f"| sequential payments, `requests.Session` + seed signing | {seq['session']:.0f} /s | |")
    print(f"| sequential payments, `qfpay.Client.wechat_qr` | {seq['qfpay']:.0f} /s (**{seq['qfpay'] / seq['seed']:.1f}x** seed, **{seq['qfpay'] / seq['session']:.1f}x** session) | ≥ 5x seed, > session |")
    print(f"| sequential `wechat_qr`, logging off (`logging.disable`) / default (WARNING reaches the SDK's observer), median of 3 | {seq['qfpay_log_off']:.0f} /s / {seq['qfpay_log_default']:.0f} /s ({(seq['qfpay_log_off'] / seq['qfpay_log_default'] - 1) * 100:+.1f} %) | within 3 % |")
    print(f"| 64 concurrent `AsyncClient.wechat_qr` (median of 5 rounds) | {conc['wall_ms_median']:.0f} ms wall (best {conc['wall_ms_best']:.0f} ms), {conc['per_second']:.0f} payments/s | |")
    print(f"| `Client.wechat_qr` from 16 threads | {thr:.0f} payments/s (AsyncClient at 64: **{conc['per_second'] / thr:.2f}x**) | AsyncClient ≥ 1x |")
    print()
    print(f"Sequential runs made {args.payments} payments each (after one warm-up call). The SDK's calls include "
          "validation, signing, form encoding, response decoding and typed results; the sandbox verifies every signature.")


if __name__ == "__main__":
    main()
