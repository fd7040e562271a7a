package io.ordersvc.orders.command;

import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the command side knows it: what the decisions need, and what the state tables hold. */
public record OrderState(
        UUID id,
        UUID customerId,
        OrderStatus status,
        ShippingAddress shippingAddress,
        List<OrderPlaced.Line> lines,
        BigDecimal total,
        long version,
        Instant placedAt,
        Instant updatedAt) {

    /** Before the first event: nothing exists yet. */
    public static final OrderState NONE = new OrderState(null, null, null, null, List.of(), BigDecimal.ZERO, 0, null, null);

    OrderState with(OrderStatus newStatus, ShippingAddress newAddress, Instant at) {
        return new OrderState(id, customerId, newStatus, newAddress, lines, total, version + 1, placedAt, at);
    }
}
