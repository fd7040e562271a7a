package io.ordersvc.orders.event;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** Everything that can happen to an order, in the past tense. */
public sealed interface OrderEvent extends DomainEvent permits OrderPlaced, ShippingAddressChanged, OrderConfirmed, OrderShipped,
        OrderCancelled {

    String AGGREGATE_TYPE = "order";

    UUID orderId();

    /** When it happened. */
    Instant at();
}
