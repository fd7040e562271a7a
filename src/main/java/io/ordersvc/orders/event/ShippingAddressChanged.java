package io.ordersvc.orders.event;

import java.time.Instant;
import java.util.UUID;

public record ShippingAddressChanged(UUID orderId, ShippingAddress shippingAddress, Instant changedAt)
        implements OrderEvent {

    public static final String TYPE = "ShippingAddressChanged";

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
        return changedAt;
    }
}
