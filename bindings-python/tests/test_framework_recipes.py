"""gunicorn --preload: a qfpay Client made in the master keeps working in forked workers. (The
framework receivers that were tested here with each framework's test client became the example
projects in examples/python, served over real HTTP by tests/test_example_projects.py.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


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
