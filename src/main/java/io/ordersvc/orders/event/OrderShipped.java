package io.ordersvc.orders.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An order was shipped. Schema 2 carries the customer, the status the order left and its total; schema 1
 * payloads are completed from the order's earlier events.
 */
public record OrderShipped(UUID orderId, UUID customerId, OrderStatus previousStatus, BigDecimal total, Instant shippedAt)
        implements OrderStatusChanged {

    public static final String TYPE = "OrderShipped";
    public static final int SCHEMA = 2;

    @Override
    public OrderStatus status() {
        return OrderStatus.SHIPPED;
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
        return shippedAt;
    }
}
