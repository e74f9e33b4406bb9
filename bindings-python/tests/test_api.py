"""The public surface: exception classes per core code, attributes, repr without secrets,
configuration by keywords and from_env, the User-Agent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import qfpay
from qfpay._errors import BY_CODE
from qfpay.testing import Sandbox

CODES = [
    "validation", "config", "auth", "invalid_request", "declined", "duplicate_order", "order_state",
    "refund_rejected", "account", "server", "api", "rate_limited", "network", "timeout",
    "status_unknown", "decode", "signature",
]
API_CODES = {"auth", "invalid_request", "declined", "duplicate_order", "order_state", "refund_rejected", "account", "server"}


def test_one_class_per_core_code() -> None:
    assert sorted(BY_CODE) == sorted(CODES)
    for code, cls in BY_CODE.items():
        assert issubclass(cls, qfpay.QfPayError)
        assert cls.code == code
        if code in API_CODES:
            assert issubclass(cls, qfpay.ApiError)
        e = cls("x")
        for attr in ("field", "rule", "respcd", "resperr", "respmsg", "http_status", "out_trade_no", "syssn", "retry_after", "sent"):
            assert getattr(e, attr) is None
    assert issubclass(qfpay.RequestTimeoutError, TimeoutError)
    assert issubclass(qfpay.ValidationError, ValueError)
    assert qfpay.StatusUnknownError.__name__ in qfpay.__all__


def test_config_errors() -> None:
    with pytest.raises(qfpay.ConfigError, match="^configuration error: app_code is missing") as info:
        qfpay.Client()
    assert info.value.field == "app_code"
    with pytest.raises(qfpay.ConfigError, match="^configuration error: client_key is missing") as info:
        qfpay.Client("APP")
    assert info.value.field == "client_key"
    with pytest.raises(qfpay.ConfigError) as info:
        qfpay.Client("APP", "KEY", environment="mars")
    assert info.value.field == "environment"
    with pytest.raises(qfpay.ConfigError) as info:
        qfpay.Client("APP", "KEY", sign_type="sha1")
    assert info.value.field == "sign_type"
    with pytest.raises(qfpay.ConfigError, match="timeout must be greater than zero") as zero:
        qfpay.Client("APP", "KEY", timeout=0)
    assert zero.value.field == "timeout"
    c = qfpay.Client("APP", "KEY", environment="production")
    assert c.base_url == "https://openapi-hk.qfapi.com"
    assert qfpay.Client("APP", "KEY").base_url == "https://test-openapi-hk.qfapi.com"
    assert qfpay.AsyncClient("APP", "KEY", environment="card_sandbox").base_url == "https://openapi-int.qfapi.com"
    for refused in ("sandbox", "live"):  # the local sandbox is a base URL (Sandbox.client())
        with pytest.raises(qfpay.ConfigError):
            qfpay.Client("APP", "KEY", environment=refused)


def test_repr_never_shows_the_key() -> None:
    secret = "TOPSECRETKEY0123456789"
    for c in (qfpay.Client("APP1", secret, mchid="M1"), qfpay.AsyncClient("APP1", secret)):
        text = repr(c) + str(c)
        assert secret not in text
        assert "APP1" in text
    assert repr(qfpay.AsyncClient("A", "K")).startswith("AsyncClient(")
    with Sandbox() as sb:
        assert sb.client_key not in repr(sb)
        assert all(m.client_key not in repr(m) for m in sb.merchants)


def test_from_env(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    for k, v in sandbox.env().items():
        monkeypatch.setenv(k, v)
    c = qfpay.Client.from_env()
    assert c.base_url == sandbox.base_url and c.app_code == sandbox.app_code
    assert c.wechat_qr(1001).respcd == "0000"
    # keywords override the environment
    assert qfpay.Client.from_env(app_code="OTHER").app_code == "OTHER"
    assert qfpay.AsyncClient.from_env(mchid="M9").mchid == "M9"
    monkeypatch.delenv("QFPAY_CLIENT_KEY")
    with pytest.raises(qfpay.ConfigError):
        qfpay.Client.from_env()


class _Capture(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Capture.seen.append(dict(self.headers))
        body = json.dumps({"respcd": "0000", "resperr": "", "respmsg": "", "page": 1, "page_size": 10, "data": []}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def capture() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_user_agent_and_headers(capture: str) -> None:
    _Capture.seen.clear()
    page = qfpay.Client("APPUA", "KEYUA", base_url=capture, sign_type="sha256").query(out_trade_no="qfUA")
    assert len(page) == 0 and page.raw["respcd"] == "0000"
    headers = {k.lower(): v for k, v in _Capture.seen[-1].items()}
    assert headers["user-agent"].startswith(f"qfpay-python/{qfpay.__version__}")
    assert headers["x-qf-appcode"] == "APPUA"
    assert headers["x-qf-signtype"] == "SHA256"
    assert "KEYUA" not in json.dumps(headers)


def test_sign_matches_the_seed_function() -> None:
    import hashlib

    def make_req_sign(data: dict[str, object], key: str) -> str:
        p = ["%s=%s" % (k, data[k]) for k in sorted(data)]
        return hashlib.md5(("&".join(p) + key).encode("utf-8")).hexdigest().upper()

    import datetime

    data: dict[str, object] = {
        "txamt": "10", "txcurrcd": "HKD", "pay_type": "800201", "out_trade_no": "01234567890123",
        "txdtm": datetime.datetime(2026, 1, 2, 3, 4, 5), "mchid": "ZaMVg*****",
    }
    assert qfpay.sign(data, "KEY") == make_req_sign(data, "KEY")
    with pytest.raises(TypeError):
        qfpay.sign([("a", "b")], "KEY")  # type: ignore[arg-type]


def test_qr_helpers() -> None:
    assert "<svg" in qfpay.qr_svg("weixin://wxpay/bizpayurl?pr=abc")
    assert qfpay.qr_png("weixin://x")[:4] == b"\x89PNG"
    assert qfpay.qr_data_url("weixin://x").startswith("data:image/png;base64,")
    assert qfpay.qr_terminal("weixin://x")
    with pytest.raises(qfpay.ValidationError):
        qfpay.qr_svg("")


def test_sandbox_lifecycle() -> None:
    sb = Sandbox()
    url = sb.base_url
    assert url.startswith("http://127.0.0.1:") and sb.port > 0
    assert not sb.stopped and "running" in repr(sb)
    sb.stop()
    sb.stop()  # stopping twice is harmless
    assert sb.stopped and "stopped" in repr(sb)
    assert not hasattr(sb, "close"), "one name per concept: stop()"
    with pytest.raises(RuntimeError):
        sb.request_count()
    with Sandbox() as sb2:
        with pytest.raises(LookupError):
            sb2.pay("qfNOSUCH")
        with pytest.raises(ValueError):
            sb2.inject_fault("explode")  # type: ignore[arg-type]


def test_results_are_read_only(sandbox: Sandbox) -> None:
    # As in PHP's suite: no field of a result can be changed, and none added.
    client = sandbox.client()
    p = client.wechat_qr(300, "HKD")
    sandbox.pay(p.out_trade_no)
    t = client.find_payment(p.out_trade_no)
    assert t is not None
    for result, field in ((p, "txamt"), (t, "txamt"), (client.refund(p.syssn, 100, "HKD"), "txamt")):
        with pytest.raises(AttributeError):
            setattr(result, field, 1)
        with pytest.raises(AttributeError):
            setattr(result, "added_later", 1)
        assert not hasattr(result, "added_later")
    assert p.txamt == 300
