package io.ordersvc.orders.event;

import java.time.Instant;
import java.util.UUID;

/**
 * An order was cancelled. Schema 2 records the reason; schema 1 payloads (without one) are upcast
 * by {@link OrderCancelledV1Upcaster}.
 */
public record OrderCancelled(UUID orderId, String reason, Instant cancelledAt) implements OrderEvent {

    public static final String TYPE = "OrderCancelled";
    public static final int SCHEMA = 2;

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return SCHEMA;
    }

    @Override
    public Instant at() {
        return cancelledAt;
    }
}
