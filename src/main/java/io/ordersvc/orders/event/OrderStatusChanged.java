package io.ordersvc.orders.event;

import java.math.BigDecimal;

/** An order moved from one status to another; its total moves with it on the sales dashboard. */
public sealed interface OrderStatusChanged extends OrderEvent permits OrderConfirmed, OrderShipped, OrderCancelled {

    /** The status the order left. */
    OrderStatus previousStatus();

    BigDecimal total();
}
