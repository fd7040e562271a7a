package io.ordersvc.catalog;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record ProductPriceChanged(UUID productId, BigDecimal oldPrice, BigDecimal newPrice, Instant changedAt)
        implements DomainEvent {

    @Override
    public String eventType() {
        return "ProductPriceChanged";
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
