package io.ordersvc.orders.event;

import java.time.Instant;
import java.util.UUID;

public record OrderConfirmed(UUID orderId, Instant confirmedAt) implements OrderEvent {

    public static final String TYPE = "OrderConfirmed";

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
        return confirmedAt;
    }
}
