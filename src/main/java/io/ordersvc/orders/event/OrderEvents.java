package io.ordersvc.orders.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads stored or received order events back into their records; fields added later are ignored. */
@ApplicationScoped
public class OrderEvents {

    private final ObjectMapper json;

    OrderEvents(ObjectMapper json) {
        this.json = json;
    }

    public OrderEvent read(EventEnvelope envelope) {
        Class<? extends OrderEvent> type = switch (envelope.eventType()) {
            case OrderPlaced.TYPE -> OrderPlaced.class;
            default -> throw new MalformedEventException("unknown order event type " + envelope.eventType(), null);
        };
        try {
            return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(envelope.payload());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("unreadable " + envelope.eventType() + " payload: " + e.getOriginalMessage(), e);
        }
    }
}
