package io.ordersvc.orders.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order was placed. It carries what the customer and the catalog were at that moment, so that
 * the order and its view never change when they change later.
 */
public record OrderPlaced(
        UUID orderId,
        Customer customer,
        ShippingAddress shippingAddress,
        List<Line> lines,
        BigDecimal total,
        Instant placedAt) implements OrderEvent {

    public static final String TYPE = "OrderPlaced";

    public record Customer(UUID customerId, String name, String email) {
    }

    public record Line(UUID productId, String sku, String productName, BigDecimal unitPrice, int quantity,
            BigDecimal lineTotal) {
    }

    @Override
    public UUID customerId() {
        return customer.customerId();
    }

    @Override
    public OrderStatus status() {
        return OrderStatus.PLACED;
    }

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
        return placedAt;
    }
}
