"""Issue 25: the example projects in examples/python (django, flask, fastapi), each served as a
merchant deploys it (gunicorn with forked workers; uvicorn), do the whole flow over real HTTP
against an in-process sandbox: create with notify_url -> the QR -> the customer pays -> the
sandbox delivers the signed notification to the project's route, which confirms by query ->
refund; a tampered notification is refused without a 500; an unpaid order is closed. Issue 26:
the Flask and FastAPI shops' hosted checkout (link -> checkstand -> notification -> result page). Also: each
project's requirements.txt pins what requirements-dev.txt installs (one install serves all)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

import qfpay
from qfpay.testing import SANDBOX_APP_CODE, SANDBOX_CLIENT_KEY, Merchant, Sandbox

from conftest import EXAMPLES, REPO

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Shop:
    """A running example project and the HTTP session of a customer's browser."""

    base: str
    proc: subprocess.Popen[str]
    json_bodies: bool
    session: requests.Session = field(default_factory=requests.Session)
    csrf: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=15)

    def post(self, path: str, **data: Any) -> requests.Response:
        if self.json_bodies:
            return self.session.post(self.base + path, json=data or None, timeout=15)
        return self.session.post(self.base + path, data={**data, **self.csrf}, timeout=15)


def _serve(name: str, cmd: list[str], env: dict[str, str], port: int, *, json_bodies: bool,
           before: Callable[[], None] | None = None) -> Iterator[Shop]:
    cwd = EXAMPLES / name
    if before is not None:
        before()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    shop = Shop(f"http://127.0.0.1:{port}", proc, json_bodies)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = shop.get("/")
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{name} did not start: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.1)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token:
            shop.csrf = {"csrfmiddlewaretoken": token.group(1)}
        yield shop
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        assert "Traceback" not in (err or ""), err  # no request ever failed with an exception


@pytest.fixture(params=["django", "flask", "fastapi"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Shop, Sandbox]]:
    yield from _project(request.param, tmp_path)


@pytest.fixture(params=["flask", "fastapi"])
def checkout_shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Shop, Sandbox]]:
    yield from _project(request.param, tmp_path)


def _project(name: str, tmp_path: Path) -> Iterator[tuple[Shop, Sandbox]]:
    port = _free_port()
    notify_url = f"http://127.0.0.1:{port}/qfpay/notify"  # the merchant's default (refunds)
    with Sandbox([Merchant(SANDBOX_APP_CODE, SANDBOX_CLIENT_KEY, None, notify_url)], rate_limit=None,
                 notify_time_scale=0.001) as sb:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QFPAY_")}
        env.update(sb.env(), SHOP_PUBLIC_URL=f"http://127.0.0.1:{port}", SHOP_DB=str(tmp_path / "shop.sqlite3"),
                   PYTHONDONTWRITEBYTECODE="1", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
        bind = f"127.0.0.1:{port}"
        if name == "django":
            env.update(DJANGO_SECRET_KEY="example-test-only", DJANGO_ALLOWED_HOSTS="127.0.0.1")

            def migrate() -> None:
                subprocess.run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], cwd=EXAMPLES / "django",
                               env=env, check=True, capture_output=True, timeout=60)

            yield from ((s, sb) for s in _serve(name, [str(BIN / "gunicorn"), "-w", "2", "-b", bind, "shop.wsgi"],
                                                env, port, json_bodies=False, before=migrate))
        elif name == "flask":
            yield from ((s, sb) for s in _serve(name, [str(BIN / "gunicorn"), "-w", "2", "-b", bind, "app:app"],
                                                env, port, json_bodies=False))
        else:
            cmd = [str(BIN / "uvicorn"), "main:app", "--host", "127.0.0.1", "--port", str(port)]
            yield from ((s, sb) for s in _serve(name, cmd, env, port, json_bodies=True))


def _queries_for(sb: Sandbox, number: str) -> int:
    return sum(1 for r in sb.requests() if r["path"] == "/trade/v1/query" and number in r["body"])


def _delivered(sb: Sandbox, number: str, kind: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for n in sb.notifications():
            if n["notify_type"] == kind and (number in (n["out_trade_no"], n.get("syssn"))) and n["delivered"]:
                return n
        time.sleep(0.05)
    raise AssertionError(f"no {kind} notification delivered for {number}: {sb.notifications()}")


def test_whole_flow(project: tuple[Shop, Sandbox]) -> None:
    shop, sb = project
    # The customer orders: the shop stores the number, creates the payment with its notify_url.
    created = shop.post("/orders", amount=300)
    assert created.status_code == 201, created.text
    number, qrcode = created.json()["out_trade_no"], created.json()["qrcode"]
    assert qrcode.startswith("weixin://wxpay/bizpayurl?pr=")
    svg = shop.get(created.json()["qr_svg"])
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<svg") or "<svg" in svg.text[:200]
    assert shop.get(f"/orders/{number}").json()["state"] == "pending"
    assert sb.requests()[0]["path"] == "/trade/v1/payment" and "notify_url" in sb.requests()[0]["body"]

    # The customer scans; the sandbox posts the signed notification to the shop's own route.
    before = _queries_for(sb, number)
    sb.pay(number)
    note = _delivered(sb, number, "payment")
    assert note["url"] == f"{shop.base}/qfpay/notify"
    assert [(a["status"], a["response"]) for a in note["attempts"]][-1] == (200, "SUCCESS")
    assert _queries_for(sb, number) > before  # the handler confirmed by query
    queries = _queries_for(sb, number)
    paid = shop.get(f"/orders/{number}").json()
    assert (paid["state"], paid["amount"], paid["syssn"]) == ("succeeded", 300, note["syssn"])
    assert _queries_for(sb, number) == queries  # recorded by the notification, not by this page

    # Tampered, unsigned and unreadable notifications: refused with 4xx, never a 500; nothing changes.
    body: str = note["body"]
    tampered = body.replace('"txamt": "300"', '"txamt": "30000"')
    assert tampered != body
    answer = shop.session.post(f"{shop.base}/qfpay/notify", data=tampered.encode(),
                               headers={"X-QF-SIGN": note["signature"], "Content-Type": "application/json"}, timeout=15)
    assert (answer.status_code, answer.text) == (401, "bad signature")
    unsigned = shop.session.post(f"{shop.base}/qfpay/notify", data=body.encode(), timeout=15)
    assert unsigned.status_code == 401
    junk = b"not json"
    unreadable = shop.session.post(f"{shop.base}/qfpay/notify", data=junk,
                                   headers={"X-QF-SIGN": qfpay.notification_signature(junk, sb.client_key)}, timeout=15)
    assert unreadable.status_code == 400
    assert shop.get(f"/orders/{number}").json()["amount"] == 300

    # Refund part of it; the sandbox then notifies the refund too, which the shop acknowledges.
    refunded = shop.post(f"/orders/{number}/refund", amount=100)
    assert refunded.status_code == 200, refunded.text
    assert (refunded.json()["state"], refunded.json()["refunded"]) == ("partially_refunded", 100)
    held = {o["syssn"]: o for o in sb.orders()}
    assert held[note["syssn"]]["state"] == "partially_refunded"
    refunds = [o for o in sb.orders() if o["kind"] == "refund" and o["orig_syssn"] == note["syssn"]]
    assert [o["txamt"] for o in refunds] == [100]
    refund_note = _delivered(sb, refunds[0]["syssn"], "refund")  # to the merchant's notify_url
    assert [(a["status"], a["response"]) for a in refund_note["attempts"]][-1] == (200, "SUCCESS")

    # A correctly signed "paid" notification for an order nobody paid: acknowledged, but the shop
    # confirms by query, so the order stays pending; then the shop closes it.
    unpaid = shop.post("/orders", amount=500).json()["out_trade_no"]
    forged = body.replace(number, unpaid).replace('"txamt": "300"', '"txamt": "500"').encode()
    ack = shop.session.post(f"{shop.base}/qfpay/notify", data=forged,
                            headers={"X-QF-SIGN": qfpay.notification_signature(forged, sb.client_key)}, timeout=15)
    assert (ack.status_code, ack.text) == (200, "SUCCESS")
    assert shop.get(f"/orders/{unpaid}").json()["state"] == "pending"
    closed = shop.post(f"/orders/{unpaid}/close")
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "cancelled"
    assert {o["out_trade_no"]: o["state"] for o in sb.orders()}[unpaid] == "cancelled"
    # A refund of the closed order, or more than was paid, is refused with a readable answer.
    assert shop.post(f"/orders/{unpaid}/refund", amount=100).status_code == 409
    too_much = shop.post(f"/orders/{number}/refund", amount=1000)
    assert too_much.status_code in (400, 502) and "error" in too_much.json()


def _checkstand(sb: Sandbox, link: str) -> dict[str, Any]:
    """What the customer's browser does on the sandbox's checkstand page: opens it, and its script
    posts the link's query to the session endpoint (the page's own origin)."""
    page = requests.get(link, timeout=15)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    session = requests.post(f"{sb.base_url}/checkstand/session", json={"query": link.split("#/?", 1)[1]},
                            headers={"Origin": sb.base_url}, timeout=15).json()
    assert session["ok"], session
    order: dict[str, Any] = session["order"]
    return order


def _press(sb: Sandbox, syssn: str, action: str) -> str:
    answer = requests.post(f"{sb.base_url}/sandbox/checkout/{syssn}", json={"action": action, "wallet": "wechat"},
                           headers={"Origin": sb.base_url}, timeout=15).json()
    assert answer["ok"], answer
    redirect: str = answer["redirect"]
    return redirect


def _checkout(shop: Shop, amount: int) -> requests.Response:
    if shop.json_bodies:
        return shop.session.post(f"{shop.base}/checkout", json={"amount": amount}, allow_redirects=False, timeout=15)
    return shop.session.post(f"{shop.base}/checkout", data={"amount": str(amount)}, allow_redirects=False, timeout=15)


def test_hosted_checkout(checkout_shop: tuple[Shop, Sandbox]) -> None:
    """Issue 26 (Flask, FastAPI): the shop's checkout route redirects to a signed checkout link; the customer pays
    on the sandbox's checkstand; the shop receives the notification; the result page says paid.
    A second order fails on the page and its result page says so."""
    shop, sb = checkout_shop
    answer = _checkout(shop, 1250)
    assert answer.status_code == 303, answer.text
    link = answer.headers["Location"]
    assert link.startswith(f"{sb.base_url}/checkstand/#/?")
    signed = sb.client().verify_checkout_url(link)  # signed with the shop's key
    number = signed.out_trade_no
    assert (signed.txamt, signed.params["notify_url"]) == (1250, f"{shop.base}/qfpay/notify")
    assert sb.request_count() == 0  # a link: nothing was sent to QFPay

    order = _checkstand(sb, link)
    assert (order["out_trade_no"], order["txamt"], order["state"]) == (number, 1250, "pending")
    back = _press(sb, order["syssn"], "pay")
    assert back == f"{shop.base}/orders/{number}/result"
    note = _delivered(sb, number, "payment")
    assert [(a["status"], a["response"]) for a in note["attempts"]][-1] == (200, "SUCCESS")
    assert _queries_for(sb, number) >= 1  # the shop confirmed by query
    page = shop.get(f"/orders/{number}/result")
    assert page.status_code == 200 and 'data-state="succeeded"' in page.text and "Paid" in page.text, page.text
    assert shop.get(f"/orders/{number}").json()["syssn"] == order["syssn"]

    answer = _checkout(shop, 400)
    failing = sb.client().verify_checkout_url(answer.headers["Location"]).out_trade_no
    order = _checkstand(sb, answer.headers["Location"])
    back = _press(sb, order["syssn"], "fail")
    assert back == f"{shop.base}/orders/{failing}/result"
    page = shop.get(f"/orders/{failing}/result")
    assert 'data-state="failed"' in page.text, page.text


def _pins(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text("utf-8").splitlines())
    return {line.lower().replace("_", "-") for line in lines if line and not line.startswith("-")}


@pytest.mark.parametrize("name", ["django", "flask", "fastapi"])
def test_requirements_are_the_suites_pins(name: str) -> None:
    pins = _pins(EXAMPLES / name / "requirements.txt")
    assert f"qfpay=={qfpay.__version__}" in pins
    dev = _pins(REPO / "bindings-python" / "requirements-dev.txt")
    assert pins - {f"qfpay=={qfpay.__version__}"} <= dev, pins - dev
    assert (EXAMPLES / name / "README.md").is_file()


def test_every_example_file_is_referenced_from_a_readme() -> None:
    readmes = " ".join(p.read_text("utf-8") for p in [*EXAMPLES.rglob("README.md"), REPO / "bindings-python" / "README.md"])
    for path in EXAMPLES.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".txt") and "__pycache__" not in path.parts \
                and path.name not in ("__init__.py",) and "migrations" not in path.parts:
            assert path.name in readmes or path.parent.name in readmes, path
    assert shutil.which("gunicorn", path=str(BIN)) and shutil.which("uvicorn", path=str(BIN))


def test_environment_names_in_the_examples_and_guides_are_accepted() -> None:
    """Regression: wechat_qr_payment.py once suggested QFPAY_ENV=sandbox, which the SDK refuses."""
    files = [*EXAMPLES.rglob("*.py"), *EXAMPLES.rglob("*.md"), REPO / "bindings-python" / "README.md",
             *(REPO / "docs" / "frameworks").glob("*.md")]
    names = set(re.findall(r"QFPAY_ENV=([A-Za-z_]+)", " ".join(p.read_text("utf-8") for p in files)))
    assert "live_test" in names
    for name in names:
        qfpay.Client("APPCODE", "KEY", environment=name)  # an unknown name raises ConfigError
