"""A QFPay notification receiver on the standard library's HTTP server.

QFPay POSTs a JSON body with ``X-QF-SIGN`` = MD5(raw body + client key) and retries until the
receiver answers HTTP 200 with ``SUCCESS``. Verify the *raw* body (never a parsed and
re-serialised one), handle the notification idempotently, then acknowledge.

    QFPAY_CLIENT_KEY=... python notification_receiver.py [port]      (default port 8000)
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import qfpay

Handler = Callable[[qfpay.Notification], None]


def make_server(client_key: str, on_notification: Handler, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 that verifies each notification, passes it to
    ``on_notification`` and acknowledges it. Port 0 picks a free port."""

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length)  # the exact bytes QFPay signed
            try:
                notification = qfpay.verify_notification(raw_body, self.headers.get("X-QF-SIGN"), client_key)
            except qfpay.SignatureError as e:
                self._answer(401, f"bad signature: {e}")
                return
            except qfpay.DecodeError as e:
                self._answer(400, f"not a notification: {e}")
                return
            try:
                on_notification(notification)  # must be idempotent: QFPay may send it again
            except Exception as e:  # noqa: BLE001 - not acknowledged, so QFPay retries
                self._answer(500, f"handler failed: {e}")
                return
            self._answer(200, qfpay.NOTIFICATION_ACK)

        def _answer(self, status: int, text: str) -> None:
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quieter than the default
            sys.stderr.write("receiver: " + (format % args) + "\n")

    return ThreadingHTTPServer(("127.0.0.1", port), Receiver)


def print_notification(n: qfpay.Notification) -> None:
    """An example handler: a real one marks the order paid (once) in the shop's database."""
    state = "paid" if n.is_success else f"status {n.status}"
    print(f"{n.notify_type} {n.out_trade_no} ({n.syssn}): {state}, {n.txamt} {n.txcurrcd}", flush=True)


def serve_in_background(client_key: str, on_notification: Handler = print_notification) -> ThreadingHTTPServer:
    """Starts ``make_server`` on a free port in a daemon thread; ``server.shutdown()`` stops it."""
    server = make_server(client_key, on_notification)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    client_key = os.environ.get("QFPAY_CLIENT_KEY")
    if not client_key:
        print("set QFPAY_CLIENT_KEY", file=sys.stderr)
        return 2
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = make_server(client_key, print_notification, port)
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
