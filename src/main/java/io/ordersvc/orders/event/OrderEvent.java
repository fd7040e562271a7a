package io.ordersvc.orders.event;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Everything that can happen to an order, in the past tense. Each event carries what its readers
 * need without looking elsewhere: the order's customer, and the status the order is in after it.
 */
public sealed interface OrderEvent extends DomainEvent permits OrderPlaced, ShippingAddressChanged, OrderStatusChanged {

    String AGGREGATE_TYPE = "order";

    UUID orderId();

    UUID customerId();

    /** The status the order is in after this event. */
    OrderStatus status();

    /** When it happened. */
    Instant at();
}
