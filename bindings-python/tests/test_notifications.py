"""verify_notification: good, tampered, wrong key, a parsed object passed; and an end-to-end
delivery from the sandbox to the example receiver (standard library HTTP server)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pytest

import qfpay
from qfpay.testing import Sandbox

from conftest import EXAMPLES

KEY = "abcd1234"
BODY = (
    b'{"status": "1", "pay_type": "800201", "sysdtm": "2020-05-14 12:32:56", "txcurrcd": "HKD", '
    b'"txdtm": "2020-05-14 12:32:56", "txamt": "300", "out_trade_no": "A1", '
    b'"syssn": "20200514000300020093755455", "cancel": "0", "respcd": "0000", "notify_type": "payment"}'
)


def signature(body: bytes = BODY, key: str = KEY) -> str:
    return qfpay.notification_signature(body, key)


def test_good() -> None:
    n = qfpay.verify_notification(BODY, signature(), KEY)
    assert isinstance(n, qfpay.Notification)
    assert n.notify_type == "payment" and n.is_success
    assert n.out_trade_no == "A1" and n.txamt == 300 and n.txcurrcd == "HKD"
    assert n.raw["syssn"] == "20200514000300020093755455"
    assert "A1" in repr(n) and KEY not in repr(n)
    # lowercase hex, str body, bytearray and memoryview are all the raw body
    assert qfpay.verify_notification(BODY, signature().lower(), KEY).syssn == n.syssn
    assert qfpay.verify_notification(BODY.decode("utf-8"), signature(), KEY).syssn == n.syssn
    assert qfpay.verify_notification(bytearray(BODY), signature(), KEY).syssn == n.syssn
    assert qfpay.verify_notification(memoryview(BODY), signature(), KEY).syssn == n.syssn


def test_tampered() -> None:
    tampered = BODY.replace(b'"txamt": "300"', b'"txamt": "1"')
    with pytest.raises(qfpay.SignatureError) as info:
        qfpay.verify_notification(tampered, signature(), KEY)
    assert info.value.code == "signature"


def test_wrong_key() -> None:
    with pytest.raises(qfpay.SignatureError):
        qfpay.verify_notification(BODY, signature(), "not-the-key")


def test_missing_signature() -> None:
    with pytest.raises(qfpay.SignatureError):
        qfpay.verify_notification(BODY, None, KEY)
    with pytest.raises(qfpay.SignatureError):
        qfpay.verify_notification(BODY, "", KEY)


def test_parsed_object_is_refused_with_an_explanation() -> None:
    parsed: Any = json.loads(BODY)
    with pytest.raises(TypeError) as info:
        qfpay.verify_notification(parsed, signature(), KEY)
    message = str(info.value)
    assert "raw request body" in message and "dict" in message
    with pytest.raises(TypeError, match="raw request body"):
        qfpay.verify_notification(42, signature(), KEY)  # type: ignore[arg-type]


def test_reserialised_body_fails_with_a_hint() -> None:
    compact = json.dumps(json.loads(BODY), separators=(",", ":")).encode()
    with pytest.raises(qfpay.SignatureError, match="raw request body"):
        qfpay.verify_notification(compact, signature(), KEY)


def test_not_a_notification() -> None:
    body = b"[1, 2]"
    with pytest.raises(qfpay.DecodeError):
        qfpay.verify_notification(body, signature(body), KEY)


def test_sandbox_delivers_to_the_example_receiver() -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import notification_receiver
    finally:
        sys.path.remove(str(EXAMPLES))

    received: list[qfpay.Notification] = []
    with Sandbox(notify_time_scale=0.001) as sb:
        server = notification_receiver.serve_in_background(sb.client_key, received.append)
        try:
            url = f"http://127.0.0.1:{server.server_port}/qfpay/notify"
            client = sb.client()
            payment = client.wechat_qr(600, "HKD", notify_url=url)
            sb.pay(payment.out_trade_no)
            deadline = time.monotonic() + 5
            while not received and time.monotonic() < deadline:
                time.sleep(0.02)
            assert received, f"no notification arrived: {sb.notifications()}"
            n = received[0]
            assert n.out_trade_no == payment.out_trade_no and n.is_success and n.txamt == 600
            # The sandbox saw the acknowledgement.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                deliveries = sb.notifications()
                if deliveries and deliveries[0]["delivered"]:
                    break
                time.sleep(0.02)
            assert deliveries[0]["delivered"], deliveries
        finally:
            server.shutdown()
            server.server_close()
