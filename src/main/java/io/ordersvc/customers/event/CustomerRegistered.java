package io.ordersvc.customers.event;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** A customer registered, and may now place orders. */
public record CustomerRegistered(UUID customerId, String name, String email, Instant registeredAt)
        implements DomainEvent {

    public static final String AGGREGATE_TYPE = "customer";

    @Override
    public String eventType() {
        return "CustomerRegistered";
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
