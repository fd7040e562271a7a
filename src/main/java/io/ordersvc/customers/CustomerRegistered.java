package io.ordersvc.customers;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.time.Instant;
import java.util.UUID;

public record CustomerRegistered(UUID customerId, String name, String email, Instant registeredAt)
        implements DomainEvent {

    @Override
    public String eventType() {
        return "CustomerRegistered";
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
