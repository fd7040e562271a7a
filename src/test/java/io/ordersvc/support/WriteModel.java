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
}
