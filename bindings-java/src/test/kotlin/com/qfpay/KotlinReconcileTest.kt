package com.qfpay

import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId

/** Reconciliation from Kotlin: a period's records as a Flow, the report by `reconcileAwait`. */
class KotlinReconcileTest {
    @Test
    fun transactionsAsAFlowAndReconcileAwait() = runBlocking {
        Sandbox.builder().rateLimit(false).start().use { sandbox ->
            sandbox.client().use { client ->
                val paid = (1..3).map { client.wechatQrAwait(1001, "HKD") }
                val day = LocalDate.now(ZoneId.of("Asia/Shanghai"))
                val from = "${day.minusDays(1)} 00:00:00"
                val to = "$day 23:59:59"
                val walk = client.transactions(TransactionsRequest.builder(from, to).minInterval(Duration.ZERO).build())
                val seen = walk.asFlow().map { it.outTradeNo }.toList()
                assertEquals(paid.map { it.outTradeNo }.toSet(), seen.toSet())
                assertEquals(1, walk.asFlow().take(1).toList().size) // cancelled after the first record

                val ledger = paid.map { mapOf("outTradeNo" to it.outTradeNo, "amount" to 1001L, "currency" to "HKD") }
                val report = client.reconcileAwait(ReconcileRequest.builder(ledger, from, to).minInterval(Duration.ZERO).build())
                assertTrue(report.clean, report.summary)
                assertEquals(3L, report.matched)
                assertEquals(listOf(3003L), report.net.filter { it.currency == "HKD" }.map { it.paid })
            }
        }
    }
}
