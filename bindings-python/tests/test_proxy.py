"""Issue 10.1: the ``proxy`` option and ``QFPAY_PROXY`` (via ``from_env``) route requests
through an HTTP proxy; ``proxy="none"`` goes direct."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

import qfpay
from qfpay.testing import Sandbox


class _Proxy:
    def __init__(self, upstream: str) -> None:
        self.seen: list[str] = []
        up = urlsplit(upstream)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                proxy.seen.append(self.path)
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(up.hostname or "127.0.0.1", up.port, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "host")}
                conn.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body, headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def proxy(sandbox: Sandbox) -> Iterator[_Proxy]:
    p = _Proxy(sandbox.base_url)
    yield p
    p.server.shutdown()


def test_proxy_option(sandbox: Sandbox, proxy: _Proxy) -> None:
    client = qfpay.Client(sandbox.app_code, sandbox.client_key, base_url="http://qfpay-upstream.invalid", proxy=proxy.url)
    p = client.wechat_qr(1001, "HKD")
    assert p.respcd == "0000"
    assert any(s.startswith("http://qfpay-upstream.invalid/trade/v1/payment") for s in proxy.seen), proxy.seen


def test_qfpay_proxy_from_env(sandbox: Sandbox, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QFPAY_APP_CODE", sandbox.app_code)
    monkeypatch.setenv("QFPAY_CLIENT_KEY", sandbox.client_key)
    monkeypatch.setenv("QFPAY_BASE_URL", "http://qfpay-upstream.invalid")
    monkeypatch.setenv("QFPAY_PROXY", proxy.url)
    monkeypatch.delenv("QFPAY_ENV", raising=False)
    assert qfpay.Client.from_env().find_payment("qfPROXY") is None
    assert proxy.seen
    # an explicit keyword wins over the variable
    direct = qfpay.Client.from_env(base_url=sandbox.base_url, proxy="none")
    before = len(proxy.seen)
    assert direct.find_payment("qfDIRECT") is None
    assert len(proxy.seen) == before


def test_bad_proxy_is_a_config_error() -> None:
    with pytest.raises(qfpay.ConfigError) as info:
        qfpay.Client("A", "K", proxy="not a url at all")
    assert info.value.field == "proxy" and str(info.value).startswith("configuration error: proxy ")
