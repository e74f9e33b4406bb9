"""Issue 9 "must show": a small fault soak. Faults go into about 20 % of requests, 32 threads
share one Client (and 32 AsyncClient tasks), a few hundred payments; the outcome is checked
against the sandbox's own orders: 0 doubled, 0 lost, 0 wrong, every status-unknown names its
order."""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import qfpay
from qfpay.testing import Sandbox

PAYMENTS = 240
CONCURRENCY = 32
FAULT_RATE = 0.5  # one fault per two payments: about 20 % of all requests (retries and queries included)
FAULTS: list[tuple[str, dict[str, Any]]] = [
    ("drop", {}),
    ("http_status", {"status": 500}),
    ("http_status", {"status": 503}),
    ("http_status", {"status": 429}),
    ("malformed", {}),
    ("delay", {"delay": 0.4}),
]


class Outcomes:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paid: dict[str, qfpay.Payment] = {}
        self.unknown: list[str] = []
        self.failed: dict[str, qfpay.QfPayError] = {}
        self.unnamed: list[BaseException] = []

    def record(self, number: str, result: qfpay.Payment | BaseException) -> None:
        with self.lock:
            if isinstance(result, qfpay.Payment):
                assert result.out_trade_no == number
                self.paid[number] = result
            elif isinstance(result, qfpay.StatusUnknownError):
                if result.out_trade_no != number:
                    self.unnamed.append(result)
                self.unknown.append(number)
            elif isinstance(result, qfpay.QfPayError):
                if result.out_trade_no != number:
                    self.unnamed.append(result)
                self.failed[number] = result
            else:
                self.unnamed.append(result)


def _maybe_fault(sandbox: Sandbox, rng: random.Random, lock: threading.Lock) -> None:
    with lock:
        if rng.random() < FAULT_RATE:
            kind, kw = rng.choice(FAULTS)
            sandbox.inject_fault(kind, 1, **kw)  # type: ignore[arg-type]


def _check(sandbox: Sandbox, numbers: list[str], out: Outcomes) -> None:
    orders = [o for o in sandbox.orders() if o["kind"] == "payment" and o["out_trade_no"] in set(numbers)]
    count = Counter(o["out_trade_no"] for o in orders)
    doubled = [n for n, c in count.items() if c > 1]
    held = {o["out_trade_no"]: o for o in orders}
    lost = [n for n in out.paid if n not in held]
    wrong = [
        n
        for n, p in out.paid.items()
        if n in held and (held[n]["txamt"] != p.txamt or held[n]["txcurrcd"] != "HKD" or held[n]["state"] != "succeeded")
    ]
    # A definite failure must not have left a paid order behind.
    wrong += [n for n, e in out.failed.items() if n in held and held[n]["state"] == "succeeded"]
    assert not out.unnamed, out.unnamed[:5]
    assert not doubled, doubled
    assert not lost, lost
    assert not wrong, wrong
    assert len(out.paid) + len(out.unknown) + len(out.failed) == len(numbers)
    assert len(out.paid) >= len(numbers) // 2, (len(out.paid), len(out.unknown), len(out.failed))


def test_fault_soak_threads() -> None:
    with Sandbox(rate_limit=None) as sandbox:
        client = sandbox.client(reconcile_timeout=1.5, timeout=0.3, max_retries=2, retry_base_delay=0.01, retry_max_delay=0.05)
        rng = random.Random(9)
        lock = threading.Lock()
        numbers = [qfpay.generate_out_trade_no() for _ in range(PAYMENTS)]
        out = Outcomes()

        def pay(number: str) -> None:
            _maybe_fault(sandbox, rng, lock)
            try:
                out.record(number, client.wechat_qr(1001, "HKD", out_trade_no=number))
            except BaseException as e:  # noqa: BLE001
                out.record(number, e)

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(pay, numbers))
        _check(sandbox, numbers, out)


def test_fault_soak_async_tasks() -> None:
    with Sandbox(rate_limit=None) as sandbox:
        client = sandbox.async_client(reconcile_timeout=1.5, timeout=0.3, max_retries=2, retry_base_delay=0.01, retry_max_delay=0.05)
        rng = random.Random(12)
        lock = threading.Lock()
        numbers = [qfpay.generate_out_trade_no() for _ in range(PAYMENTS)]
        out = Outcomes()

        async def main() -> None:
            sem = asyncio.Semaphore(CONCURRENCY)

            async def pay(number: str) -> None:
                async with sem:
                    _maybe_fault(sandbox, rng, lock)
                    try:
                        out.record(number, await client.wechat_qr(1001, "HKD", out_trade_no=number))
                    except qfpay.QfPayError as e:
                        out.record(number, e)

            await asyncio.gather(*(pay(n) for n in numbers))

        asyncio.run(main())
        _check(sandbox, numbers, out)
