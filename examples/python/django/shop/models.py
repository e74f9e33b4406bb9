"""An order as the shop stores it: the number is stored before QFPay is called."""

from django.db import models  # type: ignore[import-untyped]


class Order(models.Model):  # type: ignore[misc]
    out_trade_no = models.CharField(max_length=64, primary_key=True)
    amount = models.PositiveIntegerField()  # minor units: 300 = HK$3.00
    currency = models.CharField(max_length=3, default="HKD")
    state = models.CharField(max_length=20, default="pending")  # qfpay's Transaction.state words
    qrcode = models.TextField(blank=True, default="")
    syssn = models.CharField(max_length=32, blank=True, default="")
    refunded = models.PositiveIntegerField(default=0)

    def as_dict(self) -> dict[str, object]:
        return {"out_trade_no": self.out_trade_no, "amount": self.amount, "currency": self.currency,
                "state": self.state, "syssn": self.syssn or None, "refunded": self.refunded}
