"""The seed's WeChat QR payment sample (pay_type 800201), rewritten on the qfpay SDK.

The seed built the payload by hand, signed it with its own ``make_req_sign`` and posted it with
``requests``. The SDK does all of that (plus validation, retries that never pay twice, and
reconciliation when the outcome is unknown); this script only says what to pay.

Configuration comes from the environment, never from the source:

    QFPAY_APP_CODE, QFPAY_CLIENT_KEY      your credentials
    QFPAY_ENV=live_test                   or production; for the local sandbox, QFPAY_BASE_URL=<its URL>
    QFPAY_MCHID                           only if QFPay assigned you one

Usage: python wechat_qr_payment.py [amount-in-cents] [currency]   (defaults: 10 HKD)
Add --wait to poll until the customer has paid.
"""

from __future__ import annotations

import sys

import qfpay


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    amount = int(args[0]) if args else 10  # minor units: 10 = HK$0.10 (QFPay suggests > 200)
    currency = args[1] if len(args) > 1 else "HKD"

    client = qfpay.Client.from_env()
    try:
        payment = client.wechat_qr(amount, currency, goods_name="test1")
    except qfpay.ValidationError as e:
        print(f"not sent: {e.field}: {e.rule}", file=sys.stderr)
        return 2
    except qfpay.StatusUnknownError as e:
        # Never pay again under a new number: query this one later (or wait for the notification).
        print(f"outcome unknown for {e.out_trade_no}; query it before doing anything else", file=sys.stderr)
        return 3
    except qfpay.QfPayError as e:
        print(f"QFPay refused: [{e.code}] respcd={e.respcd} {e}", file=sys.stderr)
        return 1

    print(payment)
    print("respcd:", payment.respcd, "out_trade_no:", payment.out_trade_no, "syssn:", payment.syssn)
    print("qrcode:", payment.qrcode)
    if payment.qrcode:
        print(qfpay.qr_terminal(payment.qrcode))

    if "--wait" in argv:
        paid = client.wait_for_payment(payment.out_trade_no, timeout=120)
        print("paid:", paid.state, paid.txamt, paid.txcurrcd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
