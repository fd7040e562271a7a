package io.ordersvc.catalog;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record ProductAdded(UUID productId, String sku, String name, BigDecimal unitPrice, Instant addedAt)
        implements DomainEvent {

    @Override
    public String eventType() {
        return "ProductAdded";
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
