package io.ordersvc.orders.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An order was confirmed. Schema 2 carries the customer, the status the order left and its total; schema 1
 * payloads are completed from the order's earlier events.
 */
public record OrderConfirmed(UUID orderId, UUID customerId, OrderStatus previousStatus, BigDecimal total, Instant confirmedAt)
        implements OrderStatusChanged {

    public static final String TYPE = "OrderConfirmed";
    public static final int SCHEMA = 2;

    @Override
    public OrderStatus status() {
        return OrderStatus.CONFIRMED;
    }

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
        return confirmedAt;
    }
}
