package io.ordersvc.orders.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.MalformedEventException;
import io.ordersvc.cqrs.eventlog.Upcasting;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
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

    private final ObjectMapper json;
    private final Upcasting upcasting;

    OrderEvents(ObjectMapper json, Upcasting upcasting) {
        this.json = json;
        this.upcasting = upcasting;
    }

    public OrderEvent read(EventEnvelope envelope) {
        Class<? extends OrderEvent> type = TYPES.get(envelope.eventType());
        if (type == null) {
            throw new MalformedEventException("unknown order event type " + envelope.eventType(), null);
        }
        try {
            return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(upcasting.toCurrent(envelope));
        } catch (IOException e) {
            throw new MalformedEventException("unreadable " + envelope.eventType() + " payload: " + e.getMessage(), e);
        }
    }
}
