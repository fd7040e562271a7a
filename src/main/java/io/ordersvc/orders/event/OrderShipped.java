package io.ordersvc.orders.event;

import java.time.Instant;
import java.util.UUID;

public record OrderShipped(UUID orderId, Instant shippedAt) implements OrderEvent {

    public static final String TYPE = "OrderShipped";

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
        return shippedAt;
    }
}
