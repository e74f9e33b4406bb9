"""The GIL is released during network waits (threads overlap), and AsyncClient never blocks
the event loop (other tasks keep running during a delayed call)."""

from __future__ import annotations

import asyncio
import threading
import time

import qfpay
from qfpay.testing import Sandbox

DELAY = 0.5  # seconds


def test_two_threads_overlap(sandbox: Sandbox, client: qfpay.Client) -> None:
    sandbox.inject_fault("delay", 2, delay=DELAY)
    results: list[float] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            client.query(out_trade_no="qfGIL")
            results.append(time.perf_counter())
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    start = time.perf_counter()
    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    assert not errors, errors
    assert len(results) == 2
    assert DELAY <= elapsed < 0.8, f"two delayed calls took {elapsed:.3f}s: the GIL was held"


def test_python_runs_while_a_call_waits(sandbox: Sandbox, client: qfpay.Client) -> None:
    sandbox.inject_fault("delay", 1, delay=DELAY)
    stop = threading.Event()
    ticks = 0

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.005)

    t = threading.Thread(target=spin)
    t.start()
    try:
        client.query(out_trade_no="qfGIL2")
    finally:
        stop.set()
        t.join()
    assert ticks >= 30, f"only {ticks} ticks in {DELAY} s: the GIL was held"


def test_event_loop_keeps_running(sandbox: Sandbox) -> None:
    async def main() -> tuple[int, float]:
        client = sandbox.async_client()
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        sandbox.inject_fault("delay", 1, delay=DELAY)
        start = time.perf_counter()
        page = await client.query(out_trade_no="qfLOOP")
        elapsed = time.perf_counter() - start
        done.set()
        await task
        assert isinstance(page, qfpay.QueryPage)
        return ticks, elapsed

    ticks, elapsed = asyncio.run(main())
    assert elapsed >= DELAY
    # A blocked loop ticks once or twice; 10 leaves room for a machine busy with builds.
    assert ticks >= 10, f"the ticker ran {ticks} times during a {elapsed:.3f}s call: the loop was blocked"


def test_async_calls_overlap(sandbox: Sandbox) -> None:
    async def main() -> float:
        client = sandbox.async_client()
        sandbox.inject_fault("delay", 2, delay=DELAY)
        start = time.perf_counter()
        await asyncio.gather(client.query(out_trade_no="qfA"), client.query(out_trade_no="qfB"))
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    assert elapsed < 0.8, f"two delayed async calls took {elapsed:.3f}s"


def test_64_concurrent_async_payments(sandbox: Sandbox) -> None:
    async def main() -> list[qfpay.Payment]:
        client = sandbox.async_client()
        return await asyncio.gather(*(client.wechat_qr(1001, "HKD") for _ in range(64)))

    payments = asyncio.run(main())
    assert len({p.out_trade_no for p in payments}) == 64
    assert all(p.respcd == "0000" for p in payments)


def test_threads_share_one_client(sandbox: Sandbox, client: qfpay.Client) -> None:
    out: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            p = client.wechat_qr(1001, "HKD")
            with lock:
                out.append(p.out_trade_no)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 40
