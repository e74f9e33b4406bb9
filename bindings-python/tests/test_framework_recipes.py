"""Issue 14: the notification receiver recipes in examples/python (Flask, FastAPI, Django)
answer 200 SUCCESS for a good notification and 4xx, never 500, for a bad one; tested with each
framework's own test client."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

import qfpay

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
KEY = "0E32A59A8B454940A2FF39RECIPEKEY"
BODY = json.dumps(
    {"notify_type": "payment", "status": "1", "pay_type": "800201", "syssn": "20260101000300020093755455",
     "out_trade_no": "qfRECIPE1", "txamt": "300", "txcurrcd": "HKD", "cancel": "0", "respcd": "0000"}
).encode()
GOOD = {"X-QF-SIGN": qfpay.notification_signature(BODY, KEY), "Content-Type": "application/json"}
BAD = {"X-QF-SIGN": "0" * 32, "Content-Type": "application/json"}


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_flask_recipe() -> None:
    seen: list[qfpay.Notification] = []
    app = _load("flask_receiver").create_app(KEY, seen.append)
    client = app.test_client()
    ok = client.post("/qfpay/notify", data=BODY, headers=GOOD)
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "SUCCESS")
    assert [n.out_trade_no for n in seen] == ["qfRECIPE1"]
    for headers, body in ((BAD, BODY), ({}, BODY), (GOOD, b"not json")):
        bad = client.post("/qfpay/notify", data=body, headers=headers)
        assert 400 <= bad.status_code < 500, bad.status_code
    assert len(seen) == 1


def test_fastapi_recipe() -> None:
    from fastapi.testclient import TestClient

    seen: list[qfpay.Notification] = []
    app = _load("fastapi_receiver").create_app(KEY, seen.append)
    client = TestClient(app)
    ok = client.post("/qfpay/notify", content=BODY, headers=GOOD)
    assert (ok.status_code, ok.text) == (200, "SUCCESS")
    assert [n.out_trade_no for n in seen] == ["qfRECIPE1"]
    for headers, body in ((BAD, BODY), ({}, BODY), (GOOD, b"not json")):
        bad = client.post("/qfpay/notify", content=body, headers=headers)
        assert 400 <= bad.status_code < 500, bad.status_code


def test_django_recipe() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["testserver"], ROOT_URLCONF=__name__, SECRET_KEY="recipe-test",
                           MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"])
        django.setup()
    from django.test import Client
    from django.urls import path

    seen: list[qfpay.Notification] = []
    view = _load("django_receiver").make_view(KEY, seen.append)
    global urlpatterns
    urlpatterns = [path("qfpay/notify", view)]
    from django.urls import clear_url_caches

    clear_url_caches()
    client = Client(enforce_csrf_checks=True)
    ok = client.post("/qfpay/notify", data=BODY, content_type="application/json", headers={"X-QF-SIGN": GOOD["X-QF-SIGN"]})
    assert (ok.status_code, ok.content) == (200, b"SUCCESS")
    assert [n.out_trade_no for n in seen] == ["qfRECIPE1"]
    bad = client.post("/qfpay/notify", data=BODY, content_type="application/json", headers={"X-QF-SIGN": BAD["X-QF-SIGN"]})
    assert bad.status_code == 401
    missing = client.post("/qfpay/notify", data=BODY, content_type="application/json")
    assert missing.status_code == 401
    assert client.get("/qfpay/notify").status_code == 405


urlpatterns: list[object] = []


def test_gunicorn_preload_forked_workers(tmp_path: Path) -> None:
    """gunicorn --preload: the app (and its qfpay Client) is made in the master, then forked
    into workers; every worker pays with its inherited client, order numbers all distinct."""
    import shutil
    import socket
    import subprocess
    import time
    import urllib.request

    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        pytest.skip("gunicorn not installed")
    from qfpay.testing import Sandbox

    with Sandbox(rate_limit=None) as sb:
        app = tmp_path / "preload_app.py"
        app.write_text(
            "import os, qfpay\n"
            f"client = qfpay.Client({sb.app_code!r}, {sb.client_key!r}, base_url={sb.base_url!r})\n"
            "client.wechat_qr(1001, 'HKD')  # used in the master before the fork\n"
            "def app(environ, start_response):\n"
            "    p = client.wechat_qr(1001, 'HKD')\n"
            "    body = f'{os.getpid()} {p.out_trade_no}'.encode()\n"
            "    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])\n"
            "    return [body]\n"
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen(
            [gunicorn, "--preload", "-w", "3", "-b", f"127.0.0.1:{port}", "--chdir", str(tmp_path), "preload_app:app"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            answers: list[str] = []
            deadline = time.monotonic() + 20
            while len(answers) < 12 and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                        answers.append(r.read().decode())
                except OSError:
                    time.sleep(0.1)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        assert len(answers) == 12, answers
        numbers = [a.split()[1] for a in answers]
        assert len(set(numbers)) == len(numbers)
        held = {o["out_trade_no"]: o["state"] for o in sb.orders()}
        assert all(held[n] == "succeeded" for n in numbers)
