"""Issue 25: the README's quick start (a Flask app, marked as a fragment for the snippet harness
because it serves rather than runs) type-checks with mypy --strict and does what it says against
the sandbox: create with notify_url, the QR, the notification verified and confirmed by query, a
tampered one refused, refund, close."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import qfpay
from qfpay.testing import Sandbox

from conftest import REPO

README = REPO / "bindings-python" / "README.md"


def quick_start() -> str:
    text = README.read_text("utf-8")
    section = text.split("## Quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "no python block under ## Quick start"
    return match.group(1)


@pytest.fixture()
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleType, Sandbox]]:
    path = tmp_path / "shop.py"
    path.write_text(quick_start(), "utf-8")
    with Sandbox(rate_limit=None, notify_time_scale=0.001) as sb:
        for k in [k for k in os.environ if k.startswith("QFPAY_")]:
            monkeypatch.delenv(k)
        for k, v in sb.env().items():
            monkeypatch.setenv(k, v)
        spec = importlib.util.spec_from_file_location("readme_shop", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module, sb


def test_quick_start_type_checks(tmp_path: Path) -> None:
    path = tmp_path / "shop.py"
    path.write_text(quick_start(), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
                           str(path)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_quick_start_flow(shop: tuple[ModuleType, Sandbox]) -> None:
    module, sb = shop
    web = module.app.test_client()
    created = web.post("/orders").get_json()
    number = created["out_trade_no"]
    assert created["qr"].startswith("data:image/png;base64,")
    assert "notify_url=https" in sb.requests()[0]["body"]
    sb.pay(number)
    deadline = time.monotonic() + 10
    while not sb.notifications() and time.monotonic() < deadline:  # delivery to shop.example.com fails;
        time.sleep(0.02)                                           # we post its body ourselves
    note = sb.notifications()[0]
    tampered = note["body"].replace('"txamt": "300"', '"txamt": "3"')
    bad = web.post("/qfpay/notify", data=tampered, headers={"X-QF-SIGN": note["signature"]})
    assert (bad.status_code, module.orders[number].state) == (401, "pending")
    assert web.post("/qfpay/notify", data=b"{", headers={"X-QF-SIGN": qfpay.notification_signature(b"{", sb.client_key)}).status_code == 400
    ok = web.post("/qfpay/notify", data=note["body"], headers={"X-QF-SIGN": note["signature"]})
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "SUCCESS")
    assert (module.orders[number].state, module.orders[number].syssn) == ("paid", note["syssn"])
    refund = web.post(f"/orders/{number}/refund")
    assert refund.status_code == 200 and refund.get_json()["refund"]
    assert {o["syssn"]: o["state"] for o in sb.orders()}[note["syssn"]] == "partially_refunded"
    unpaid = web.post("/orders").get_json()["out_trade_no"]
    assert web.post(f"/orders/{unpaid}/close").get_json() == {"state": "cancelled"}
    assert {o["out_trade_no"]: o["state"] for o in sb.orders()}[unpaid] == "cancelled"
