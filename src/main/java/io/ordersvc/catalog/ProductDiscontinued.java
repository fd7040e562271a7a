package io.ordersvc.catalog;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.time.Instant;
import java.util.UUID;

public record ProductDiscontinued(UUID productId, Instant discontinuedAt) implements DomainEvent {

    @Override
    public String eventType() {
        return "ProductDiscontinued";
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
