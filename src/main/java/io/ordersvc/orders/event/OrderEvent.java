package io.ordersvc.orders.event;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.util.UUID;

/** Everything that can happen to an order, in the past tense. */
public sealed interface OrderEvent extends DomainEvent permits OrderPlaced {

    String AGGREGATE_TYPE = "order";

    UUID orderId();
}
