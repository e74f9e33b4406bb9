"""Programs run against the sandbox: the seed's Python sample (verbatim, only the base URL and
credentials swapped), the examples in examples/python, and the typed usage file."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from qfpay.testing import Sandbox

from conftest import EXAMPLES, SEED_MERCHANT

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed_sample.py"


def run_python(path: Path | str, *args: str, env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", code] if code is not None else [sys.executable, str(path)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("QFPAY_")}
    full_env.update(env or {})
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=60, env=full_env, check=False)


def seed_with(sandbox: Sandbox) -> str:
    source = SEED.read_text("utf-8")
    swaps = {
        "environment = 'https://test-openapi-hk.qfapi.com'": f"environment = {sandbox.base_url!r}",
        "app_code = 'D5589D2A1F2E42A9A60C37*********'": f"app_code = {sandbox.app_code!r}",
        "client_key = '0E32A59A8B454940A2FF39**********'": f"client_key = {sandbox.client_key!r}",
    }
    for old, new in swaps.items():
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


def test_seed_sample_verbatim_gets_a_qr_code() -> None:
    with Sandbox([SEED_MERCHANT]) as sb:
        proc = run_python("", code=seed_with(sb))
        assert proc.returncode == 0, proc.stderr
        answer = ast.literal_eval(proc.stdout.strip().splitlines()[-1])
        assert answer["respcd"] == "0000", answer
        assert answer["qrcode"].startswith("weixin://")
        assert answer["out_trade_no"] == "01234567890123"


def test_example_wechat_qr_payment() -> None:
    with Sandbox([SEED_MERCHANT]) as sb:
        proc = run_python(EXAMPLES / "wechat_qr_payment.py", "300", "HKD", env=sb.env())
        assert proc.returncode == 0, proc.stderr
        assert "respcd: 0000" in proc.stdout and "weixin://" in proc.stdout
        assert sb.requests()[-1]["path"] == "/trade/v1/payment"
        # A bad amount is refused before anything is sent.
        before = sb.request_count()
        proc = run_python(EXAMPLES / "wechat_qr_payment.py", "0", env=sb.env())
        assert proc.returncode == 2 and "txamt" in proc.stderr
        assert sb.request_count() == before
        # --wait: 1002 is pending for two queries, then paid.
        proc = run_python(EXAMPLES / "wechat_qr_payment.py", "1002", "--wait", env=sb.env())
        assert proc.returncode == 0, proc.stderr
        assert "paid: succeeded" in proc.stdout


def test_example_async_payments() -> None:
    with Sandbox() as sb:
        proc = run_python(EXAMPLES / "async_payments.py", "3", env=sb.env())
        assert proc.stdout.count("weixin://") == 3, proc.stderr
        # A process that used AsyncClient exits cleanly (no runtime thread outlives Python).
        assert proc.returncode == 0, (proc.returncode, proc.stderr)


def test_async_client_processes_exit_cleanly() -> None:
    """Regression: AsyncClient once ran on a foreign tokio runtime whose threads could touch a
    Python object during interpreter shutdown (SIGSEGV about 1 run in 10)."""
    with Sandbox() as sb:
        for _ in range(15):
            proc = run_python(EXAMPLES / "async_payments.py", "4", env=sb.env())
            assert proc.returncode == 0, (proc.returncode, proc.stderr)


def test_example_notification_receiver_as_a_program() -> None:
    import json
    import socket
    import time
    import urllib.request

    import qfpay

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "notification_receiver.py"), str(port)],
        env={**os.environ, "QFPAY_CLIENT_KEY": "KEY1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = json.dumps({"notify_type": "payment", "status": "1", "out_trade_no": "qfRCV", "txamt": "300", "txcurrcd": "HKD"}).encode()
        deadline = time.monotonic() + 10
        while True:
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/notify", data=body,
                    headers={"X-QF-SIGN": qfpay.notification_signature(body, "KEY1")},
                )
                with urllib.request.urlopen(req, timeout=5) as resp:
                    assert resp.status == 200 and resp.read() == b"SUCCESS"
                break
            except (ConnectionRefusedError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        bad = urllib.request.Request(f"http://127.0.0.1:{port}/notify", data=body, headers={"X-QF-SIGN": "0" * 32})
        try:
            urllib.request.urlopen(bad, timeout=5)
            raise AssertionError("a bad signature was acknowledged")
        except urllib.error.HTTPError as e:
            assert e.code == 401
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "qfRCV" in out


def test_typed_usage_file_runs() -> None:
    proc = run_python(HERE.parent / "typing_check.py")
    assert proc.returncode == 0, proc.stderr
