"""Issue 9.4 and 9.5: cancelling an AsyncClient call propagates as asyncio cancellation and
logs a WARNING naming the order; "generate, store, then call"; the sync wait stops on Ctrl-C;
async waits hold no thread."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import qfpay
from qfpay.testing import Sandbox


def test_wait_for_cancels_a_slow_payment_and_logs_its_order(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.async_client(reconcile_timeout=1.0)
    number = qfpay.generate_out_trade_no()  # generate, store, then call

    async def main() -> None:
        sandbox.inject_fault("delay", 1, delay=0.4)
        with pytest.raises((asyncio.TimeoutError, asyncio.CancelledError)):
            await asyncio.wait_for(client.wechat_qr(2500, "HKD", out_trade_no=number), 0.05)
        # The warning arrives through the bridge once the Rust task is dropped.
        for _ in range(100):
            if any(number in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING):
                break
            await asyncio.sleep(0.01)

    with caplog.at_level(logging.WARNING, logger="qfpay"):
        asyncio.run(main())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("qfpay")]
    assert any(getattr(r, "out_trade_no", None) == number and number in r.getMessage() for r in warnings), [
        r.getMessage() for r in caplog.records
    ]
    cancelled = [r for r in warnings if getattr(r, "event", None) == "cancelled"]
    assert cancelled and cancelled[0].name == "qfpay.http"

    # The stored number is all it takes to learn the outcome afterwards.
    time.sleep(0.5)
    found = sandbox.client().find_payment(number)
    assert found is None or found.out_trade_no == number


def test_cancelled_task_raises_cancelled_error(sandbox: Sandbox) -> None:
    client = sandbox.async_client()

    async def main() -> None:
        sandbox.inject_fault("delay", 1, delay=0.3)
        task = asyncio.ensure_future(client.query(out_trade_no="qfCANCEL"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # the client still works afterwards
        assert (await client.find_payment("qfCANCEL-NONE")) is None

    asyncio.run(main())


WAITER = textwrap.dedent(
    """
    import faulthandler, signal, sys, time
    from qfpay.testing import Sandbox
    # SIGUSR1 dumps every thread's stack to stderr: the test asks for it if Ctrl-C is not obeyed.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    # Ctrl-C as in a terminal, whatever this process inherited: a suite started in the background
    # (`make test &`, nohup) hands its children SIGINT ignored, and Python then keeps it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with Sandbox(rate_limit=False) as sb:
        client = sb.client()
        p = client.wechat_qr(2500, "HKD")
        print("ready", flush=True)
        try:
            client.wait_for_payment(p.out_trade_no, timeout=60, interval=30, max_interval=30)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
    """
)


def test_sync_wait_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen([sys.executable, "-c", WAITER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # inside the 30 s sleep between polls
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            # Say where it is stuck (every thread's stack) instead of only that it is.
            proc.send_signal(signal.SIGUSR1)
            time.sleep(1.0)
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"Ctrl-C did not stop the wait within 10 s; the waiter's threads:\n{err}\nstdout: {out}")
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 3, (out, err)
    assert "interrupted" in out
    assert took < 2.0, f"Ctrl-C took {took:.2f}s to stop the wait"


def test_async_waits_hold_no_thread(sandbox: Sandbox) -> None:
    client = sandbox.async_client()

    async def main() -> None:
        payments = [await client.wechat_qr(2600 + i, "HKD") for i in range(20)]
        before = threading.active_count()
        waits = [
            asyncio.ensure_future(client.wait_for_payment(p.out_trade_no, timeout=5, interval=0.05, max_interval=0.1))
            for p in payments
        ]
        await asyncio.sleep(0.2)
        during = threading.active_count()
        for p in payments:
            sandbox.pay(p.out_trade_no)
        done = await asyncio.gather(*waits)
        assert all(t.state == "succeeded" for t in done)
        assert during <= before, f"{during - before} threads held by 20 waits"

    asyncio.run(main())


def test_wait_defaults_are_the_cores() -> None:
    import inspect

    sig = inspect.signature(qfpay.AsyncClient.wait_for_payment)
    assert sig.parameters["timeout"].default is None  # None = the core's Wait::default() (120 s)
    assert os.environ.get("QFPAY_TEST_NEVER_SET") is None


def test_finished_event_loops_release_their_bridge(sandbox: Sandbox) -> None:
    """Each event loop gets one socket pair for completions; asyncio.run() after asyncio.run()
    must not leak them."""
    import gc

    client = sandbox.async_client()

    async def one() -> None:
        assert await client.find_payment("qfLOOPS") is None

    asyncio.run(one())
    gc.collect()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        asyncio.run(one())
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before + 2
