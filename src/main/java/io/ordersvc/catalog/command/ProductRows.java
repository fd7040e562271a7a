package io.ordersvc.catalog.command;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductEvent;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.UUID;

/** A product's row in the write model; its version is the version of its latest event. */
record ProductRows(UUID id, String sku, BigDecimal unitPrice, boolean discontinued, long version) {

    static final String SKU_TAKEN = "SELECT 1 FROM products WHERE sku = $1";
    static final String INSERT = """
            INSERT INTO products (id, sku, name, unit_price, discontinued, version, created_at)
            VALUES ($1, $2, $3, $4, false, 1, $5)""";
    /** The product, locked until the transaction ends, so that commands on one product run one after another. */
    static final String LOCK = "SELECT id, sku, unit_price, discontinued, version FROM products WHERE id = $1 FOR UPDATE";
    static final String UPDATE = "UPDATE products SET unit_price = $2, discontinued = $3, version = $4 WHERE id = $1";

    static Tuple insert(ProductAdded e) {
        return Tuple.of(e.productId(), e.sku(), e.name(), e.unitPrice(), e.addedAt().atOffset(ZoneOffset.UTC));
    }

    static ProductRows of(Row r) {
        return new ProductRows(r.getUUID("id"), r.getString("sku"), r.getBigDecimal("unit_price"), r.getBoolean("discontinued"),
                r.getLong("version"));
    }

    /** The row follows the event: what the product sells at, whether it still sells, and the version. */
    ProductRows after(ProductEvent e) {
        return new ProductRows(id, sku, e.unitPrice(), e.discontinued(), version + 1);
    }

    Tuple update() {
        return Tuple.of(id, unitPrice, discontinued, version);
    }
}
