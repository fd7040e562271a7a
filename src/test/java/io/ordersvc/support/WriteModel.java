package io.ordersvc.support;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;

/** Counts rows in the write model, to show that a refused command wrote nothing. */
public final class WriteModel {

    private WriteModel() {
    }

    public static Map<String, Long> counts(Pool primary) {
        var row = primary.query("""
                SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines,
                       (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM customers) AS customers,
                       (SELECT count(*) FROM products) AS products""")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        return Map.of("orders", row.getLong("orders"), "order_lines", row.getLong("lines"),
                "events", row.getLong("events"), "customers", row.getLong("customers"),
                "products", row.getLong("products"));
    }

    /**
     * Everything a command could change in the write model, in numbers: rows of every table, the sum
     * of the aggregates' versions, the newest event, and the idempotency keys held.
     */
    public static Map<String, Long> fingerprint(Pool primary) {
        var row = primary.query("""
                SELECT (SELECT count(*) FROM orders) AS orders, (SELECT coalesce(sum(version), 0) FROM orders) AS order_versions,
                       (SELECT count(*) FROM order_lines) AS lines, (SELECT count(*) FROM customers) AS customers,
                       (SELECT coalesce(sum(version), 0) FROM customers) AS customer_versions,
                       (SELECT count(*) FROM products) AS products, (SELECT coalesce(sum(version), 0) FROM products) AS product_versions,
                       (SELECT count(*) FROM events) AS events, (SELECT coalesce(max(seq), 0) FROM events) AS last_event,
                       (SELECT count(*) FROM idempotency_keys) AS idempotency_keys""")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        Map<String, Long> fingerprint = new java.util.TreeMap<>();
        for (String column : new String[] {"orders", "order_versions", "lines", "customers", "customer_versions", "products",
                "product_versions", "events", "last_event", "idempotency_keys"}) {
            fingerprint.put(column, row.getLong(column));
        }
        return fingerprint;
    }
}
