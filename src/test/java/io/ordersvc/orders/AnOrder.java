package io.ordersvc.orders;

import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.ordersvc.orders.event.ShippingAddressChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One order's events, as the decider makes them, for specifications that need no servers. */
public final class AnOrder {

    public static final ShippingAddress HOME = new ShippingAddress("1 Main St", "Leeds", "LS1", "GB");
    public static final ShippingAddress OFFICE = new ShippingAddress("9 Dock Rd", "Hull", "HU1", "GB");
    public static final BigDecimal TOTAL = new BigDecimal("24.50");

    public final UUID orderId = UUID.randomUUID();
    public final UUID customerId = UUID.randomUUID();
    private final UUID tea = UUID.randomUUID();
    private final UUID teapot = UUID.randomUUID();

    public OrderPlaced placed(Instant at) {
        return new OrderPlaced(orderId, new OrderPlaced.Customer(customerId, "Ada Lovelace", "ada@example.com"), HOME,
                List.of(new OrderPlaced.Line(tea, "TEA", "Tea", new BigDecimal("2.00"), 2, new BigDecimal("4.00")),
                        new OrderPlaced.Line(teapot, "POT", "Teapot", new BigDecimal("20.50"), 1,
                                new BigDecimal("20.50"))),
                TOTAL, at);
    }

    public ShippingAddressChanged moved(OrderStatus status, ShippingAddress to, Instant at) {
        return new ShippingAddressChanged(orderId, customerId, status, to, at);
    }

    public OrderConfirmed confirmed(Instant at) {
        return new OrderConfirmed(orderId, customerId, OrderStatus.PLACED, TOTAL, at);
    }

    public OrderShipped shipped(Instant at) {
        return new OrderShipped(orderId, customerId, OrderStatus.CONFIRMED, TOTAL, at);
    }

    public OrderCancelled cancelled(OrderStatus from, String reason, Instant at) {
        return new OrderCancelled(orderId, customerId, from, TOTAL, reason, at);
    }
}
