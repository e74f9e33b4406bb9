"""Issue 9.1: a Client (and an AsyncClient) made before ``fork()`` keeps working in the
children, every order number stays unique, and nothing hangs."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import select
import signal
import time
from typing import Any

import pytest

import qfpay
from qfpay.testing import Sandbox

CHILDREN = 4
PER_CHILD = 3
GUARD_SECONDS = 30.0


def _child(client: qfpay.Client, aclient: qfpay.AsyncClient, write_fd: int) -> None:
    try:
        numbers = [qfpay.generate_out_trade_no()]
        for _ in range(PER_CHILD):
            p = client.wechat_qr(1001, "HKD")
            numbers.append(p.out_trade_no)

        async def pay_async() -> str:
            return (await aclient.wechat_qr(1001, "HKD")).out_trade_no

        numbers.append(asyncio.run(pay_async()))
        os.write(write_fd, (json.dumps({"ok": numbers}) + "\n").encode())
        code = 0
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        os.write(write_fd, (json.dumps({"error": repr(e)}) + "\n").encode())
        code = 1
    os._exit(code)


def _wait_all(pids: list[int]) -> dict[int, int]:
    deadline = time.monotonic() + GUARD_SECONDS
    status: dict[int, int] = {}
    while len(status) < len(pids):
        for pid in pids:
            if pid in status:
                continue
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status[pid] = os.waitstatus_to_exitcode(st)
        if time.monotonic() > deadline:
            for pid in pids:
                if pid not in status:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            pytest.fail(f"forked children hung: {sorted(set(pids) - set(status))}")
        time.sleep(0.02)
    return status


def _read_lines(fd: int) -> list[dict[str, Any]]:
    chunks = b""
    while True:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            break
        data = os.read(fd, 65536)
        if not data:
            break
        chunks += data
    return [json.loads(line) for line in chunks.decode().splitlines() if line.strip()]


def test_fork_children_pay_with_the_parents_client(sandbox: Sandbox) -> None:
    client = sandbox.client(reconcile_timeout=2.0)
    aclient = sandbox.async_client(reconcile_timeout=2.0)
    parent_numbers = [client.wechat_qr(1001, "HKD").out_trade_no, qfpay.generate_out_trade_no()]

    async def warm_async() -> str:
        return (await aclient.wechat_qr(1001, "HKD")).out_trade_no

    parent_numbers.append(asyncio.run(warm_async()))  # the parent's I/O runtime exists now

    read_fd, write_fd = os.pipe()
    pids = []
    for _ in range(CHILDREN):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(read_fd)
            _child(client, aclient, write_fd)
        pids.append(pid)
    os.close(write_fd)
    status = _wait_all(pids)
    lines = _read_lines(read_fd)
    os.close(read_fd)

    assert all(code == 0 for code in status.values()), (status, lines)
    assert len(lines) == CHILDREN and all("ok" in line for line in lines), lines
    child_numbers = [n for line in lines for n in line["ok"]]
    everything = parent_numbers + child_numbers
    assert len(everything) == len(set(everything)), "order numbers repeated across fork()"

    # The parent keeps working after its children, and the sandbox holds every payment once.
    parent_numbers.append(client.wechat_qr(1001, "HKD").out_trade_no)
    paid = {o["out_trade_no"]: o for o in sandbox.orders() if o["kind"] == "payment"}
    made = parent_numbers[:1] + parent_numbers[2:] + [n for line in lines for n in line["ok"][1:]]
    for n in made:
        assert paid[n]["state"] == "succeeded", n


_POOL_CLIENT: qfpay.Client | None = None


def _pool_job(_: int) -> list[str]:
    assert _POOL_CLIENT is not None
    return [_POOL_CLIENT.wechat_qr(1001, "HKD").out_trade_no for _ in range(PER_CHILD)]


def test_multiprocessing_fork_pool(sandbox: Sandbox) -> None:
    global _POOL_CLIENT
    _POOL_CLIENT = sandbox.client()
    first = _POOL_CLIENT.wechat_qr(1001, "HKD").out_trade_no
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(CHILDREN) as pool:
        result = pool.map_async(_pool_job, range(CHILDREN * 2))
        numbers = [n for batch in result.get(timeout=GUARD_SECONDS) for n in batch]
    numbers.append(first)
    assert len(numbers) == CHILDREN * 2 * PER_CHILD + 1
    assert len(set(numbers)) == len(numbers)
    held = {o["out_trade_no"] for o in sandbox.orders()}
    assert set(numbers) <= held
