#!/usr/bin/env python3
"""The JVM example projects as a merchant runs them (bindings-java/test.sh runs this).

For each project named (spring-boot, ktor): start a sandbox (`target/debug/qfpay sandbox`), start
the project's server as its README says (`mvn compile exec:java`, a real process on a free
port, configured by QFPAY_* and PUBLIC_URL), then over HTTP: create a payment with the
project's notify URL -> its QR code -> the customer pays (sandbox control API) -> the sandbox
delivers the signed notification to the project, which verifies the raw body and answers
SUCCESS -> the order confirmed by query -> a tampered and an unsigned notification refused with
401 (never a 500) -> refund -> an unpaid order closed; then a hosted checkout: the project's
route redirects to the signed link -> the sandbox's checkstand verifies it (as its page
posts it) -> pay -> the notification verified by the project -> its result page says paid.
Standard library only.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROJECTS = {
    "spring-boot": (os.path.join(ROOT, "examples", "java", "spring-boot"), "SERVER_PORT"),
    "ktor": (os.path.join(ROOT, "examples", "kotlin", "ktor"), "PORT"),
}


def http(method, url, body=None, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def jget(method, url, body=None):
    status, _, data = http(method, url, body, {"Content-Type": "application/json"} if body else None)
    return status, (json.loads(data) if data[:1] in (b"{", b"[") else data.decode())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def flow(app, sandbox):
    # 1. create: the page asks the server for a payment
    status, p = jget("POST", f"{app}/checkout?amount=2500")
    check(status == 200, f"checkout: {status} {p}")
    no = p["out_trade_no"]
    check(p["qrcode"].startswith("weixin://"), f"qrcode: {p}")
    # 2. the QR code the customer sees
    status, ctype, svg = http("GET", app + p["qr"])
    check(status == 200 and "svg" in ctype and b"<svg" in svg, f"qr: {status} {ctype}")
    status, o = jget("GET", f"{app}/orders/{no}")
    check(status == 200 and o["state"] == "pending" and o["paid"] is False, f"before paying: {o}")
    # 3. the customer scans and pays
    status, _ = jget("POST", f"{sandbox}/sandbox/pay", json.dumps({"out_trade_no": no}).encode())
    check(status == 200, f"sandbox pay: {status}")
    # 4. the sandbox delivers the signed notification; the order is confirmed by query
    deadline = time.time() + 30
    while True:
        status, o = jget("GET", f"{app}/orders/{no}")
        if status == 200 and o["notified"] and o["state"] == "succeeded":
            break
        check(time.time() < deadline, f"no verified notification within 30 s: {o}")
        time.sleep(0.2)
    check(o["paid"] is True, f"paid: {o}")
    # The project answered SUCCESS; the sandbox records the delivery once it has read that answer.
    while True:
        _, notes = jget("GET", f"{sandbox}/sandbox/notifications")
        mine = [n for n in notes["notifications"] if n["out_trade_no"] == no and n["notify_type"] == "payment"]
        if mine and mine[0]["delivered"]:
            break
        check(time.time() < deadline, f"the sandbox recorded no delivered notification for {no}: {notes}")
        time.sleep(0.1)
    delivered = mine[0]
    check(delivered["delivered"] and delivered["url"] == f"{app}/qfpay/notify", f"delivery: {delivered}")
    body = delivered["body"].encode() if isinstance(delivered["body"], str) else json.dumps(delivered["body"]).encode()
    sign = delivered.get("signature") or delivered.get("sign")
    check(sign, f"notification record without signature: {delivered}")
    # 5. a tampered body, and a missing signature: refused, never a 500
    tampered = body.replace(b'"2500"', b'"1"') if b'"2500"' in body else body + b" "
    status, _, answer = http("POST", f"{app}/qfpay/notify", tampered, {"Content-Type": "application/json", "X-QF-SIGN": sign})
    check(status == 401, f"tampered notification: {status} {answer!r}")
    status, _, answer = http("POST", f"{app}/qfpay/notify", body, {"Content-Type": "application/json"})
    check(status == 401, f"unsigned notification: {status} {answer!r}")
    # the genuine one again (QFPay resends): still SUCCESS
    status, _, answer = http("POST", f"{app}/qfpay/notify", body, {"Content-Type": "application/json", "X-QF-SIGN": sign})
    check(status == 200 and answer == b"SUCCESS", f"resent notification: {status} {answer!r}")
    # 6. refund part of it
    status, r = jget("POST", f"{app}/orders/{no}/refund?amount=500")
    check(status == 200 and r["txamt"] == 500 and r["refund_syssn"], f"refund: {status} {r}")
    status, o = jget("GET", f"{app}/orders/{no}")
    check(o["state"] == "partially_refunded", f"after the refund: {o}")
    # 7. an unpaid order, closed
    status, p2 = jget("POST", f"{app}/checkout?amount=300")
    check(status == 200, f"second checkout: {status} {p2}")
    status, c = jget("POST", f"{app}/orders/{p2['out_trade_no']}/close")
    check(status == 200 and c["state"] == "cancelled", f"close: {status} {c}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def location(url, form=None):
    """The `Location` of a redirect answered to a GET of `url`, or a POST of `form` (not followed)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with urllib.request.build_opener(_NoRedirect).open(url, data=data, timeout=30) as r:
            raise AssertionError(f"{url}: no redirect ({r.status})")
    except urllib.error.HTTPError as e:
        check(e.code in (302, 303), f"{url}: {e.code}")
        return e.headers["Location"]


def hosted_checkout(app, sandbox):
    # 1. the shop's route signs a checkout link and sends the customer to QFPay's page
    link = location(f"{app}/shop/checkout", {"amount": "1800"})
    check(link.startswith(f"{sandbox}/checkstand/#/?"), f"checkout link: {link}")
    # 2. the page opens: its script posts the link's parameters, the sandbox verifies the signature
    status, s = jget("POST", f"{sandbox}/checkstand/session", json.dumps({"query": link.split("#/?", 1)[1]}).encode())
    check(status == 200 and s.get("ok") is True, f"checkstand session: {status} {s}")
    order = s["order"]
    no = order["out_trade_no"]
    check(order["txamt"] == 1800, f"checkstand order: {order}")
    # 3. the customer pays on the page, which sends the browser back to the shop's result page
    status, paid = jget("POST", f"{sandbox}/sandbox/checkout/{order['syssn']}", json.dumps({"action": "pay"}).encode())
    check(status == 200 and paid["redirect"] == f"{app}/shop/result/{no}", f"pay: {status} {paid}")
    # 4. the shop received and verified the notification; the result page says paid (by query)
    deadline = time.time() + 30
    while True:
        status, o = jget("GET", f"{app}/orders/{no}")
        if status == 200 and o["notified"]:
            break
        check(time.time() < deadline, f"no verified checkout notification within 30 s: {o}")
        time.sleep(0.2)
    status, _, page = http("GET", paid["redirect"])
    check(status == 200 and b'<p id="state">paid</p>' in page, f"result page: {status} {page[:300]!r}")


def run(name, cli):
    project, port_var = PROJECTS[name]
    log = tempfile.NamedTemporaryFile(prefix=f"qfpay-{name}-", suffix=".log", delete=False)
    sandbox_proc = subprocess.Popen([cli, "sandbox", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    app_proc = None
    started = time.time()
    try:
        info = json.loads(sandbox_proc.stdout.readline())
        port = free_port()
        app = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("QFPAY_")}
        env.update(QFPAY_BASE_URL=info["base_url"], QFPAY_APP_CODE=info["app_code"], QFPAY_CLIENT_KEY=info["client_key"],
                   PUBLIC_URL=app, **{port_var: str(port)})
        # The README's run command.
        app_proc = subprocess.Popen(["mvn", "-B", "-q", "compile", "exec:java"], cwd=project, env=env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 300
        while True:
            try:
                status, _, _ = http("GET", f"{app}/orders/none", timeout=2)
                if status == 404:
                    break
            except OSError:
                pass
            if app_proc.poll() is not None or time.time() > deadline:
                raise AssertionError(f"{name}: the server did not start (exit {app_proc.poll()})")
            time.sleep(0.5)
        up = time.time()
        flow(app, info["base_url"])
        checkout = ""
        hosted_checkout(app, info["base_url"])
        checkout = ", hosted checkout (link, checkstand, pay, notification, result page)"
        print(f"example {name}: create, QR, notification, query, tampered and unsigned refused, refund, close{checkout}: ok "
              f"(build and start {up - started:.1f} s, flow {time.time() - up:.1f} s)")
        return True
    except Exception as e:  # noqa: BLE001 - report and show the server's log
        print(f"example {name}: FAILED: {e}", file=sys.stderr)
        log.flush()
        with open(log.name, errors="replace") as f:
            sys.stderr.write(f.read()[-6000:])
        return False
    finally:
        if app_proc is not None and app_proc.poll() is None:
            os.killpg(app_proc.pid, signal.SIGTERM)
            try:
                app_proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(app_proc.pid, signal.SIGKILL)
                app_proc.wait()
        sandbox_proc.terminate()
        sandbox_proc.wait()
        os.unlink(log.name)


def main():
    names = sys.argv[1:] or list(PROJECTS)
    cli = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "debug", "qfpay")
    results = [run(n, cli) for n in names]
    passed = sum(results)
    print(f"example projects: {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
