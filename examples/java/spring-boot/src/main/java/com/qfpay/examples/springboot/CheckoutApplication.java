package com.qfpay.examples.springboot;

import com.qfpay.QfPayClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot checkout: {@link CheckoutController} creates the payment and serves its QR code,
 * {@link NotificationController} receives QFPay's signed notifications. Configured by the
 * environment: {@code QFPAY_APP_CODE}, {@code QFPAY_CLIENT_KEY}, {@code QFPAY_ENV} or
 * {@code QFPAY_BASE_URL} (the client), {@code PUBLIC_URL} (where QFPay reaches this application)
 * and {@code SERVER_PORT}.
 */
@SpringBootApplication
public class CheckoutApplication {
    /** One client for the whole application: thread-safe, closed with the context. */
    @Bean(destroyMethod = "close")
    QfPayClient qfPayClient() {
        return QfPayClient.fromEnv();
    }

    /** The orders of this demo (a database table in yours). */
    @Bean
    Orders orders() {
        return new Orders();
    }

    public static void main(String[] args) {
        SpringApplication.run(CheckoutApplication.class, args);
    }
}
