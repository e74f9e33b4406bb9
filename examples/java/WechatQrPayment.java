package com.qfpay.examples;

import com.qfpay.DeclinedException;
import com.qfpay.Payment;
import com.qfpay.PaymentRequest;
import com.qfpay.QfPay;
import com.qfpay.QfPayClient;
import com.qfpay.QfPayException;
import com.qfpay.Qr;
import com.qfpay.Sandbox;
import com.qfpay.StatusUnknownException;
import com.qfpay.Transaction;
import com.qfpay.ValidationException;
import java.time.Duration;

/**
 * The seed's Java sample (TestMain: a WeChat Pay QR payment, pay_type 800201) on the SDK.
 * No hand-made signature string, no HashMap of strings, no date formatting: the core builds,
 * validates and signs the request, and reconciles an unknown outcome.
 *
 * <p>With QFPAY_APP_CODE / QFPAY_CLIENT_KEY (and QFPAY_ENV or QFPAY_BASE_URL, QFPAY_MCHID) set it
 * talks to QFPay; without them, or with {@code --sandbox}, it runs against the in-process sandbox.
 */
public final class WechatQrPayment {
    private WechatQrPayment() {}

    public static void main(String[] args) {
        boolean useSandbox = args.length > 0 && args[0].equals("--sandbox")
                || System.getenv("QFPAY_APP_CODE") == null;
        Sandbox sandbox = useSandbox ? Sandbox.start() : null;
        try (QfPayClient client = sandbox != null ? sandbox.client() : QfPayClient.fromEnv()) {
            String outTradeNo = QfPay.generateOutTradeNo();
            // txamt is in minor units: 1001 = HKD 10.01 (in the sandbox, 1001 is "paid at once").
            Payment payment = client.createPayment(PaymentRequest.wechatQr(1001, "HKD")
                    .outTradeNo(outTradeNo)
                    .goodsName("test1")
                    .build());
            System.out.println("created " + payment.getOutTradeNo() + " syssn " + payment.getSyssn());
            System.out.println("show this QR code to the customer: " + payment.getQrcode());
            System.out.println(Qr.terminal(payment.getQrcode()));

            Transaction t = client.waitForPayment(outTradeNo, Duration.ofSeconds(60));
            System.out.println("payment " + t.getOutTradeNo() + " is " + t.getState().getWire());
        } catch (ValidationException e) {
            System.err.println("fix the request: field " + e.getField() + ": " + e.getMessage());
        } catch (DeclinedException e) {
            System.err.println("declined (" + e.getRespcd() + "): " + e.getResperr());
        } catch (StatusUnknownException e) {
            // Never pay again under a new number: query this one later (or wait for the notification).
            System.err.println("outcome unknown for " + e.getOutTradeNo() + ": " + e.getMessage());
        } catch (QfPayException e) {
            System.err.println("failed [" + e.getCode() + "]: " + e.getMessage());
        } finally {
            if (sandbox != null) sandbox.close();
        }
    }
}
