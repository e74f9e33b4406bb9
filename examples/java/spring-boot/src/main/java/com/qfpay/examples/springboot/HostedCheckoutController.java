package com.qfpay.examples.springboot;

import com.qfpay.CheckoutLink;
import com.qfpay.CheckoutRequest;
import com.qfpay.QfPay;
import com.qfpay.QfPayClient;
import com.qfpay.Transaction;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * QFPay's hosted checkout: the shop signs a link to QFPay's payment page and sends the customer
 * there; QFPay notifies {@link NotificationController} and sends the customer back to the
 * result page, which reads the order's state by query (the redirect itself proves nothing).
 */
@RestController
public class HostedCheckoutController {
    private final QfPayClient client;
    private final Orders orders;
    private final String publicUrl = System.getenv().getOrDefault("PUBLIC_URL", "http://127.0.0.1:8080");

    public HostedCheckoutController(QfPayClient client, Orders orders) {
        this.client = client;
        this.orders = orders;
    }

    /**
     * The shop's "pay" form posts here: stores the order, signs its checkout link (nothing is sent
     * to QFPay yet) and redirects to it. A POST, so that no link prefetch or crawler makes orders.
     */
    @PostMapping("/shop/checkout")
    public ResponseEntity<Void> checkout(@RequestParam long amount) {
        String number = QfPay.generateOutTradeNo();
        orders.store(number, amount, "HKD");
        String result = publicUrl + "/shop/result/" + number;
        CheckoutLink link = client.checkoutUrl(
                CheckoutRequest.builder(amount, "HKD", result, result, publicUrl + "/qfpay/notify")
                        .outTradeNo(number).goodsName("Coffee beans").lang("en").build());
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(link.getUrl())).build();
    }

    /** Where the customer comes back (paid, failed or cancelled): the state, confirmed by query. */
    @GetMapping(value = "/shop/result/{number}", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> result(@PathVariable String number) {
        if (orders.get(number) == null) return ResponseEntity.notFound().build();
        Transaction t = client.findPayment(number);
        String state = t == null ? "not paid" : t.isPaid() ? "paid" : t.getState().getWire().replace('_', ' ');
        String html = "<!doctype html><title>Your order</title><h1>Order " + HtmlUtils.htmlEscape(number) + "</h1>"
                + "<p id=\"state\">" + HtmlUtils.htmlEscape(state) + "</p>";
        return ResponseEntity.ok(html);
    }
}
