package io.ordersvc.catalog.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record ProductAdded(UUID productId, String sku, String name, BigDecimal unitPrice, Instant addedAt)
        implements ProductEvent {

    public static final String TYPE = "ProductAdded";

    @Override
    public boolean discontinued() {
        return false;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return 1;
    }

    @Override
    public Instant at() {
        return addedAt;
    }
}
