package io.ordersvc.orders.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An order was cancelled. Schema 3 carries the customer, the status the order left and its total;
 * schema 2 payloads are completed from the order's earlier events; schema 1 payloads had no reason
 * either ({@link OrderCancelledV1Upcaster}).
 */
public record OrderCancelled(UUID orderId, UUID customerId, OrderStatus previousStatus, BigDecimal total, String reason,
        Instant cancelledAt) implements OrderStatusChanged {

    public static final String TYPE = "OrderCancelled";
    public static final int SCHEMA = 3;

    @Override
    public OrderStatus status() {
        return OrderStatus.CANCELLED;
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
        return cancelledAt;
    }
}
