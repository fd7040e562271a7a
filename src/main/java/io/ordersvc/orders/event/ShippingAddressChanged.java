package io.ordersvc.orders.event;

import java.time.Instant;
import java.util.UUID;

/**
 * The order is to go to another address. Schema 2 carries the customer and the order's status
 * (unchanged by it); schema 1 payloads are completed from the order's earlier events.
 */
public record ShippingAddressChanged(UUID orderId, UUID customerId, OrderStatus status, ShippingAddress shippingAddress,
        Instant changedAt) implements OrderEvent {

    public static final String TYPE = "ShippingAddressChanged";
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
        return changedAt;
    }
}
