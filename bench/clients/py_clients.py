"""Python clients of the cross-language benchmark (bench/run.sh): the SDK and the hand-written
clients (aiohttp, requests.Session) doing the same signed WeChat QR payment (800201) against the
shared sandbox process named by QFPAY_BASE_URL, QFPAY_APP_CODE and QFPAY_CLIENT_KEY (127.0.0.1).
Prints one JSON line.

    python py_clients.py pay sdk16|async64|aiohttp64|requests16 SECONDS WARMUP
    python py_clients.py micro | rss sdk|requests
    python py_clients.py transactions sdk|hand     (BENCH_FROM, BENCH_TO: the period to walk)

(Start-up is timed by run.py in a fresh interpreter that imports nothing else first.)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import threading
import time
import timeit
from collections.abc import Callable
from typing import Any

BASE_URL = os.environ["QFPAY_BASE_URL"]
APP_CODE = os.environ["QFPAY_APP_CODE"]
CLIENT_KEY = os.environ["QFPAY_CLIENT_KEY"]
URL = BASE_URL + "/trade/v1/payment"
_seq = itertools.count()


# The seed's signing function (shared/spec/seed-wechat-qr-payment.md), verbatim.
def make_req_sign(data, key):  # type: ignore[no-untyped-def]
    keys = list(data.keys())
    keys.sort()
    p = []
    for k in keys:
        v = data[k]
        p.append('%s=%s' % (k, v))
    unsign_str = ('&'.join(p) + key).encode("utf-8")
    s = hashlib.md5(unsign_str).hexdigest()
    return s.upper()


def payload() -> dict[str, str]:
    return {"txamt": "300", "txcurrcd": "HKD", "pay_type": "800201",
            "out_trade_no": f"py{os.getpid()}x{next(_seq)}x{time.time_ns()}",
            "txdtm": time.strftime("%Y-%m-%d %H:%M:%S")}


def signed() -> tuple[dict[str, str], dict[str, str]]:
    data = payload()
    return data, {"X-QF-APPCODE": APP_CODE, "X-QF-SIGN": make_req_sign(data, CLIENT_KEY)}


class Counter:
    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0
        self.lock = threading.Lock()

    def add(self, ok: bool) -> None:
        with self.lock:
            if ok:
                self.ok += 1
            else:
                self.failed += 1


def threaded(width: int, make_one: Callable[[], Callable[[], bool]], seconds: float, warmup: float) -> dict[str, Any]:
    def phase(duration: float) -> tuple[Counter, float]:
        counter = Counter()
        until = time.perf_counter() + duration

        def worker() -> None:
            one = make_one()
            while time.perf_counter() < until:
                try:
                    counter.add(one())
                except Exception:  # noqa: BLE001 - counted, the run goes on
                    counter.add(False)

        start = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(width)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return counter, time.perf_counter() - start

    phase(warmup)
    c, secs = phase(seconds)
    return {"n": c.ok, "errors": c.failed, "secs": secs, "rate": c.ok / secs}


def run_async(width: int, setup: Callable[[], Any], seconds: float, warmup: float) -> dict[str, Any]:
    import asyncio

    async def main() -> dict[str, Any]:
        one, close = await setup()
        try:
            async def phase(duration: float) -> tuple[int, int, float]:
                ok = failed = 0
                until = time.perf_counter() + duration

                async def worker() -> None:
                    nonlocal ok, failed
                    while time.perf_counter() < until:
                        try:
                            if await one():
                                ok += 1
                            else:
                                failed += 1
                        except Exception:  # noqa: BLE001 - counted, the run goes on
                            failed += 1

                start = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(width)))
                return ok, failed, time.perf_counter() - start

            await phase(warmup)
            n, failed, secs = await phase(seconds)
            return {"n": n, "errors": failed, "secs": secs, "rate": n / secs}
        finally:
            await close()

    return asyncio.run(main())


def sdk_sync() -> Callable[[], Callable[[], bool]]:
    import qfpay

    client = qfpay.Client.from_env()
    return lambda: (lambda: client.wechat_qr(300, "HKD").respcd == "0000")


async def sdk_async() -> tuple[Callable[[], Any], Callable[[], Any]]:
    import qfpay

    client = qfpay.AsyncClient.from_env()

    async def one() -> bool:
        return (await client.wechat_qr(300, "HKD")).respcd == "0000"

    return one, client.aclose


async def aiohttp_client() -> tuple[Callable[[], Any], Callable[[], Any]]:
    import aiohttp

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))

    async def one() -> bool:
        data, headers = signed()
        async with session.post(URL, data=data, headers=headers) as r:
            body = await r.json(content_type=None)
            return r.status == 200 and body.get("respcd") == "0000"

    return one, session.close


def requests_session() -> Callable[[], bool]:
    import requests

    session = requests.Session()  # one per thread: a Session is not meant to be shared

    def one() -> bool:
        data, headers = signed()
        r = session.post(URL, data=data, headers=headers)
        return r.status_code == 200 and r.json().get("respcd") == "0000"

    return one


def pay(case: str, seconds: float, warmup: float) -> dict[str, Any]:
    if case == "sdk16":
        return threaded(16, sdk_sync(), seconds, warmup)
    if case == "async64":
        return run_async(64, sdk_async, seconds, warmup)
    if case == "aiohttp64":
        return run_async(64, aiohttp_client, seconds, warmup)
    if case == "requests16":
        return threaded(16, requests_session, seconds, warmup)
    raise SystemExit(f"unknown case {case!r}")


def ns_per_call(fn: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e9


def micro() -> dict[str, Any]:
    import qfpay

    client = qfpay.Client.from_env()
    seed = {"txamt": "10", "txcurrcd": "HKD", "pay_type": "800201", "out_trade_no": "01234567890123",
            "txdtm": "2020-04-10 11:45:44", "mchid": "ZaMVg*****"}
    key = "0E32A59A8B454940A2FF39**********"
    if qfpay.sign(seed, key) != make_req_sign(seed, key):
        raise SystemExit("qfpay.sign and the seed's make_req_sign disagree")
    return {
        "trivial_ns": ns_per_call(lambda: client.base_url, 200_000),
        "trivial_what": "Client.base_url",
        "sign_sdk_ns": ns_per_call(lambda: qfpay.sign(seed, key), 50_000),
        "sign_hand_ns": ns_per_call(lambda: make_req_sign(seed, key), 50_000),
    }


def rss_kb() -> int:
    return proc_status_kb("VmRSS")


def proc_status_kb(field: str) -> int:
    """A size from /proc/self/status (VmRSS, VmHWM), in kB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss(which: str) -> dict[str, Any]:
    if which == "sdk":
        one = sdk_sync()()
    elif which == "requests":
        one = requests_session()
    else:
        raise SystemExit(f"unknown rss client {which!r}")
    failed = sum(0 if one() else 1 for _ in range(1000))
    return {"rss_kb": rss_kb(), "errors": failed}


def sandbox_requests() -> int:
    """The sandbox's count of API requests (its control API is neither counted nor logged)."""
    import urllib.request

    with urllib.request.urlopen(BASE_URL + "/sandbox/requests") as r:
        return int(json.loads(r.read())["request_count"])


def month_windows(start: str, end: str) -> list[tuple[str, str]]:
    """The calendar-month windows of start..end (QFPay's query stays inside one month)."""
    import datetime

    fmt = "%Y-%m-%d %H:%M:%S"
    at, last = datetime.datetime.strptime(start, fmt), datetime.datetime.strptime(end, fmt)
    windows = []
    while at <= last:
        following = (at.replace(day=1) + datetime.timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0)
        stop = min(last, following - datetime.timedelta(seconds=1))
        windows.append((at.strftime(fmt), stop.strftime(fmt)))
        at = following
    return windows


def walk_sdk(start: str, end: str, client: Any) -> tuple[int, int, int]:
    """The SDK's walk, unpaced; its requests are counted by the sandbox (-1 here)."""
    records = total = 0
    for t in client.transactions(start, end, min_interval=0):
        records += 1
        total += t.txamt
    return records, total, -1


def walk_hand(start: str, end: str, session: Any) -> tuple[int, int, int]:
    """What a merchant writes without the SDK: months by hand, pages of 100, the seed's signing,
    a requests.Session; every record counted, none kept."""
    url = BASE_URL + "/trade/v1/query"
    records = total = sent = 0
    for first, last in month_windows(start, end):
        page = 1
        while True:
            data = {"start_time": first, "end_time": last, "page": str(page), "page_size": "100"}
            headers = {"X-QF-APPCODE": APP_CODE, "X-QF-SIGN": make_req_sign(data, CLIENT_KEY)}
            r = session.post(url, data=data, headers=headers)
            sent += 1
            body = r.json()
            if r.status_code != 200 or body.get("respcd") != "0000":
                raise SystemExit(f"query failed: HTTP {r.status_code} {body.get('respcd')} {body.get('respmsg')}")
            rows = body.get("data") or []
            for row in rows:
                records += 1
                total += int(row["txamt"])
            if len(rows) < 100:
                break
            page += 1
    return records, total, sent


def transactions(how: str) -> dict[str, Any]:
    start, end = os.environ["BENCH_FROM"], os.environ["BENCH_TO"]
    # The client (or session) is made before the baseline: the walk's own memory is measured.
    walk: Callable[[str, str, Any], tuple[int, int, int]]
    client: Any
    if how == "sdk":
        import qfpay

        walk, client = walk_sdk, qfpay.Client.from_env()
    elif how == "hand":
        import requests

        walk, client = walk_hand, requests.Session()
    else:
        raise SystemExit(f"unknown walk {how!r}")
    before = sandbox_requests()
    rss_before = proc_status_kb("VmRSS")
    started = time.perf_counter()
    records, total, sent = walk(start, end, client)
    seconds = time.perf_counter() - started
    if sent < 0:
        sent = sandbox_requests() - before
    return {"records": records, "requests": sent, "seconds": seconds, "rss_before_kb": rss_before,
            "rss_peak_kb": proc_status_kb("VmHWM"), "txamt_sum": total}


def main() -> None:
    args = sys.argv[1:]
    mode = args[0] if args else ""
    if mode == "pay":
        out = pay(args[1], float(args[2]), float(args[3]))
    elif mode == "micro":
        out = micro()
    elif mode == "rss":
        out = rss(args[1] if len(args) > 1 else "sdk")
    elif mode == "transactions":
        out = transactions(args[1] if len(args) > 1 else "sdk")
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
