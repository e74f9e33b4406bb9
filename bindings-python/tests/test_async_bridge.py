"""Issue 13: the asyncio bridge resolves each call's future from Rust on the loop's thread (no
done-callback per call), so results must reach the right future, and cancelling or closing the
awaiting coroutine must cancel the call; the logging threshold is cached in the logger's level
cache and must follow every level change; `sign` borrows the dict's strings (and falls back to
a list for big mappings)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

import pytest

import qfpay
from qfpay import _async
from qfpay.testing import Sandbox


def _seed_sign(data: dict[str, Any], key: str) -> str:
    # The seed document's make_req_sign.
    p = ["%s=%s" % (k, data[k]) for k in sorted(data)]
    return hashlib.md5(("&".join(p) + key).encode("utf-8")).hexdigest().upper()


def test_concurrent_results_reach_their_own_futures(sandbox: Sandbox) -> None:
    client = sandbox.async_client()
    numbers = [qfpay.generate_out_trade_no() for _ in range(200)]

    async def main() -> list[qfpay.Payment]:
        return await asyncio.gather(*(client.wechat_qr(300 + i, "HKD", out_trade_no=n) for i, n in enumerate(numbers)))

    payments = asyncio.run(main())
    assert [p.out_trade_no for p in payments] == numbers
    assert [p.txamt for p in payments] == [300 + i for i in range(200)]


def test_a_closed_coroutine_cancels_its_call(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.async_client(reconcile_timeout=1.0)
    number = qfpay.generate_out_trade_no()

    async def main() -> None:
        sandbox.inject_fault("delay", 1, delay=0.4)
        coro = client.wechat_qr(2500, "HKD", out_trade_no=number)
        fut = coro.send(None)  # runs up to `await fut`: the call is in flight
        assert isinstance(fut, asyncio.Future) and not fut.done()
        channel = _async._channel()
        assert channel.pending() == 1
        await asyncio.sleep(0.1)  # sent (the sandbox holds the answer 400 ms)
        assert not fut.done()
        coro.close()  # nobody will ever see the result: the call is cancelled
        assert fut.cancelled()
        assert channel.pending() == 0
        for _ in range(100):
            if any(getattr(r, "event", None) == "cancelled" for r in caplog.records):
                break
            await asyncio.sleep(0.01)

    with caplog.at_level(logging.WARNING, logger="qfpay"):
        asyncio.run(main())
    cancelled = [r for r in caplog.records if getattr(r, "event", None) == "cancelled"]
    assert cancelled and getattr(cancelled[0], "out_trade_no", None) == number


def test_wait_for_leaves_no_call_behind(sandbox: Sandbox) -> None:
    client = sandbox.async_client(reconcile_timeout=1.0)

    async def main() -> None:
        sandbox.inject_fault("delay", 1, delay=0.3)
        with pytest.raises((asyncio.TimeoutError, asyncio.CancelledError)):
            await asyncio.wait_for(client.query(out_trade_no="qfGONE"), 0.05)
        assert _async._channel().pending() == 0
        # The channel goes on serving calls.
        assert await client.find_payment("qfSTILL") is None

    asyncio.run(main())


def test_errors_are_delivered_to_the_awaiting_task(sandbox: Sandbox) -> None:
    client = sandbox.async_client(max_retries=0)

    async def main() -> None:
        sandbox.inject_fault("http_status", 1, status=500)
        with pytest.raises(qfpay.QfPayError):
            await client.query(out_trade_no="qfERR")
        assert _async._channel().pending() == 0

    asyncio.run(main())


def test_level_changes_are_seen_by_the_next_call(sandbox: Sandbox) -> None:
    client = sandbox.client()
    http = logging.getLogger("qfpay.http")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=1)
    http.addHandler(handler)
    old = http.level
    try:
        http.setLevel(logging.WARNING)
        client.wechat_qr(300, "HKD")
        assert not [r for r in records if getattr(r, "event", None) == "request"]
        http.setLevel(logging.DEBUG)  # clears logging's level caches, and the SDK's threshold with them
        client.wechat_qr(300, "HKD")
        assert [r for r in records if getattr(r, "event", None) == "request"]
        records.clear()
        logging.disable(logging.CRITICAL)
        try:
            client.wechat_qr(300, "HKD")
        finally:
            logging.disable(logging.NOTSET)
        assert not records
        client.wechat_qr(300, "HKD")
        assert [r for r in records if getattr(r, "event", None) == "request"]
    finally:
        http.setLevel(old)
        http.removeHandler(handler)


def test_sign_of_big_and_mixed_mappings_matches_the_seed() -> None:
    key = "0E32A59A8B454940A2FF39**********"
    big = {f"k{i:02d}": f"v{i}" for i in range(40)}  # past the inline capacity: the list path
    assert qfpay.sign(big, key) == _seed_sign(big, key)
    exact = {f"k{i:02d}": f"v{i}" for i in range(24)}
    assert qfpay.sign(exact, key) == _seed_sign(exact, key)
    mixed: dict[str, Any] = {"txamt": 10, "txcurrcd": "HKD", "pay_type": "800201", "goods_name": None, "udid": ""}
    # None and empty values are left out; other values are str()-ed.
    assert qfpay.sign(mixed, key) == _seed_sign({"txamt": 10, "txcurrcd": "HKD", "pay_type": "800201"}, key)
    with pytest.raises(TypeError):
        qfpay.sign({1: "x"}, key)  # type: ignore[dict-item]
