package io.ordersvc.orders.event;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.MalformedEventException;
import io.ordersvc.cqrs.eventlog.Upcasting;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Reads stored or received order events back into their current records: older schema versions
 * are upcast first, and fields added later are ignored.
 */
@ApplicationScoped
public class OrderEvents {

    private static final Map<String, Class<? extends OrderEvent>> TYPES = Map.of(
            OrderPlaced.TYPE, OrderPlaced.class,
            ShippingAddressChanged.TYPE, ShippingAddressChanged.class,
            OrderConfirmed.TYPE, OrderConfirmed.class,
            OrderShipped.TYPE, OrderShipped.class,
            OrderCancelled.TYPE, OrderCancelled.class);

    private final Upcasting upcasting;

    OrderEvents(Upcasting upcasting) {
        this.upcasting = upcasting;
    }

    public OrderEvent read(EventEnvelope envelope) {
        Class<? extends OrderEvent> type = TYPES.get(envelope.eventType());
        if (type == null) {
            throw new MalformedEventException("unknown order event type " + envelope.eventType(), null);
        }
        return upcasting.read(envelope, type);
    }
}
