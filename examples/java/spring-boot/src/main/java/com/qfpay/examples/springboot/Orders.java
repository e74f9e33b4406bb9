package com.qfpay.examples.springboot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The shop's own record of each order, in memory here (a database table in a real shop). */
public final class Orders {
    /** One order: its amount, its QR code, and whether a verified notification said it was paid. */
    public static final class Order {
        final long amount;
        final String currency;
        volatile String qrcode;
        volatile boolean notified;

        Order(long amount, String currency) {
            this.amount = amount;
            this.currency = currency;
        }
    }

    private final Map<String, Order> byNumber = new ConcurrentHashMap<>();

    /** Stores a new order under its out_trade_no (before the payment is created). */
    public void store(String outTradeNo, long amount, String currency) {
        byNumber.put(outTradeNo, new Order(amount, currency));
    }

    /** Records a verified payment notification (idempotent: QFPay may send one twice). */
    public void markNotified(String outTradeNo) {
        Order order = byNumber.get(outTradeNo);
        if (order != null) order.notified = true;
    }

    /** The order, or null. */
    public Order get(String outTradeNo) {
        return byNumber.get(outTradeNo);
    }
}
