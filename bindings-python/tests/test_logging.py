"""Issue 12: the core's events as ``logging`` records on ``qfpay.http`` / ``qfpay.reconcile``
(fields as attributes), from Client, threads and AsyncClient; the client key never appears;
``QFPAY_LOG`` installs a stderr handler."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
import threading

import pytest

import qfpay
from qfpay._log import TRACE
from qfpay.testing import Sandbox

FIELDS = ("endpoint", "attempt", "out_trade_no", "elapsed_ms", "http_status", "respcd", "decision", "reason")


def _events(caplog: pytest.LogCaptureFixture, kind: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == kind]


def test_retry_after_429_is_logged_with_its_fields(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client(retry_base_delay=0.01, retry_max_delay=0.02)
    sandbox.inject_fault("http_status", 1, status=429)
    with caplog.at_level(logging.DEBUG, logger="qfpay"):
        p = client.wechat_qr(1001, "HKD")
    retries = _events(caplog, "retry")
    assert retries, [r.getMessage() for r in caplog.records]
    r = retries[0]
    assert r.name == "qfpay.http" and r.levelno == logging.INFO
    assert r.out_trade_no == p.out_trade_no  # type: ignore[attr-defined]
    assert r.attempt == 1  # type: ignore[attr-defined]
    assert r.decision == "retry"  # type: ignore[attr-defined]
    assert r.endpoint == "/trade/v1/payment"  # type: ignore[attr-defined]
    for f in FIELDS:
        assert hasattr(r, f), f
    requests = _events(caplog, "request")
    assert len(requests) >= 2 and all(x.levelno == logging.DEBUG for x in requests)
    assert {x.attempt for x in requests} >= {1, 2}  # type: ignore[attr-defined]
    responses = _events(caplog, "response")
    assert any(x.http_status == 429 for x in responses)  # type: ignore[attr-defined]
    assert all(isinstance(x.elapsed_ms, int) for x in responses)  # type: ignore[attr-defined]


def test_reconciled_after_a_dropped_answer(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client(reconcile_timeout=2.0)
    number = qfpay.generate_out_trade_no()
    sandbox.inject_fault("drop", 1)
    with caplog.at_level(logging.INFO, logger="qfpay"):
        try:
            client.wechat_qr(1001, "HKD", out_trade_no=number)
        except qfpay.StatusUnknownError:
            pass
    rec = _events(caplog, "reconcile")
    assert rec, [r.getMessage() for r in caplog.records]
    assert rec[0].name == "qfpay.reconcile" and rec[0].levelno == logging.WARNING
    assert rec[0].out_trade_no == number  # type: ignore[attr-defined]
    assert rec[0].decision  # type: ignore[attr-defined]
    assert all(r.levelno >= logging.INFO for r in caplog.records if r.name.startswith("qfpay"))


def test_logging_from_threads_and_asyncio(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client()
    aclient = sandbox.async_client()
    numbers: list[str] = []

    def one() -> None:
        numbers.append(client.wechat_qr(1001, "HKD").out_trade_no)

    async def many() -> list[str]:
        return [p.out_trade_no for p in await asyncio.gather(*(aclient.wechat_qr(1001, "HKD") for _ in range(4)))]

    with caplog.at_level(logging.DEBUG, logger="qfpay"):
        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        numbers += asyncio.run(many())
    logged = {getattr(r, "out_trade_no", None) for r in _events(caplog, "request")}
    assert set(numbers) <= logged


def test_the_client_key_is_never_logged(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    key = sandbox.client_key
    client = sandbox.client()
    wrong = qfpay.Client(sandbox.app_code, key[::-1], base_url=sandbox.base_url)
    with caplog.at_level(TRACE, logger="qfpay"):
        client.wechat_qr(1001, "HKD", goods_name="Tea")
        with pytest.raises(qfpay.AuthError):
            wrong.wechat_qr(1001, "HKD")
        with pytest.raises(qfpay.SignatureError):
            qfpay.verify_notification(b'{"notify_type":"payment"}', "BAD", key)
        asyncio.run(sandbox.async_client().query(out_trade_no="qfKEY"))
    assert caplog.records
    assert any(getattr(r, "body", None) for r in caplog.records), "TRACE should include bodies"
    for r in caplog.records:
        blob = " ".join(
            [r.getMessage(), repr(r.args), *(repr(v) for k, v in vars(r).items() if k not in ("msg", "args"))]
        )
        assert key not in blob and key[::-1] not in blob, r.getMessage()


def test_nothing_is_built_when_logging_is_off(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client()
    with caplog.at_level(logging.ERROR, logger="qfpay"):
        client.wechat_qr(1001, "HKD")
    assert not [r for r in caplog.records if r.name.startswith("qfpay")]


def test_qfpay_log_env_enables_a_stderr_handler() -> None:
    script = textwrap.dedent(
        """
        from qfpay.testing import Sandbox
        with Sandbox(rate_limit=None) as sb:
            sb.client().wechat_qr(1001, "HKD", out_trade_no="qfLOGENV1")
        """
    )
    env = {**os.environ, "QFPAY_LOG": "debug"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "qfpay.http" in out.stderr and "qfLOGENV1" in out.stderr and "/trade/v1/payment" in out.stderr
    quiet = subprocess.run(
        [sys.executable, "-c", script], env={k: v for k, v in os.environ.items() if k != "QFPAY_LOG"},
        capture_output=True, text=True, timeout=60,
    )
    assert "qfLOGENV1" not in quiet.stderr


# -- issue 22 item 3: QFPAY_LOG read by the core's one rule ----------------------------------

_PAY_SCRIPT = textwrap.dedent(
    """
    import logging
    import qfpay
    from qfpay.testing import Sandbox
    with Sandbox(rate_limit=None) as sb:
        client = sb.client()                       # constructing clients never fails
        client.wechat_qr(1001, "HKD", out_trade_no="qfLOG22A")
        sb.client().wechat_qr(1001, "HKD", out_trade_no="qfLOG22B")
        qfpay.AsyncClient(sb.app_code, sb.client_key, base_url=sb.base_url)
    handlers = [h for h in logging.getLogger("qfpay").handlers if type(h) is logging.StreamHandler]
    print("HANDLERS", len(handlers))
    """
)


def _run_with_log(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QFPAY_LOG": value}
    env.pop("PYTHONWARNINGS", None)
    out = subprocess.run([sys.executable, "-c", _PAY_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out


def test_qfpay_log_filter_form_logs_a_payment() -> None:
    out = _run_with_log("qfpay=debug")
    assert "HANDLERS 1" in out.stdout
    assert "qfpay.http" in out.stderr and "qfLOG22A" in out.stderr and "/trade/v1/payment" in out.stderr
    assert "RuntimeWarning" not in out.stderr
    # The same filter spelled per target, and in upper case.
    out = _run_with_log("qfpay::http=DEBUG")
    assert "qfLOG22A" in out.stderr and "request /trade/v1/payment" in out.stderr


def test_qfpay_log_per_target_filter_keeps_request_events_out() -> None:
    out = _run_with_log("qfpay::reconcile=warn")
    assert "HANDLERS 1" in out.stdout
    assert "qfLOG22A" not in out.stderr and "/trade/v1/payment" not in out.stderr, out.stderr
    assert "RuntimeWarning" not in out.stderr


def test_qfpay_log_unusable_value_logs_nothing_and_warns_once() -> None:
    out = _run_with_log("nonsense[[")
    assert "HANDLERS 0" in out.stdout
    assert "qfLOG22A" not in out.stderr and "qfpay.http" not in out.stderr
    assert out.stderr.count("QFPAY_LOG") == 1, out.stderr
    assert "RuntimeWarning" in out.stderr and "the 1st directive" in out.stderr
    assert "nonsense" not in out.stderr
    # Even with warnings turned into errors, importing and paying work (the warning is printed).
    env = {**os.environ, "QFPAY_LOG": "qfpay=loud"}
    strict = subprocess.run(
        [sys.executable, "-W", "error", "-c", _PAY_SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert strict.returncode == 0, strict.stderr
    assert strict.stderr.count("QFPAY_LOG") == 1 and "loud" not in strict.stderr


def test_qfpay_log_parsing_follows_the_core() -> None:
    from qfpay._qfpay import _parse_log_filter

    (levels, most), error = _parse_log_filter("info, qfpay::reconcile=off ,qfpay=debug")
    assert error is None and levels is not None
    assert levels["qfpay.http"] == logging.DEBUG and levels["qfpay.reconcile"] is None and most == logging.DEBUG
    (levels, most), error = _parse_log_filter("qfpay::http=trace")
    assert levels is not None and levels["qfpay.http"] == TRACE and levels["qfpay"] is None and most == TRACE
    assert _parse_log_filter("off") == ((None, None), None)
    (levels, most), error = _parse_log_filter("debug,SECRETKEY123=")
    assert levels is None and error is not None and "2nd directive" in error and "SECRET" not in error


def test_bodies_need_trace_on_the_events_own_logger(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox.client()
    http = logging.getLogger("qfpay.http")
    reconcile = logging.getLogger("qfpay.reconcile")
    old = http.level, reconcile.level
    try:
        http.setLevel(logging.DEBUG)
        reconcile.setLevel(TRACE)  # makes the core include bodies
        with caplog.at_level(TRACE, logger="qfpay"):
            http.setLevel(logging.DEBUG)
            client.wechat_qr(1001, "HKD")
    finally:
        http.setLevel(old[0])
        reconcile.setLevel(old[1])
    records = [r for r in caplog.records if r.name == "qfpay.http"]
    assert records
    assert not any(getattr(r, "body", None) for r in records)
    assert not any("body:" in r.getMessage() for r in records)
