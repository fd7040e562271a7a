package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Appends events to the log inside the caller's transaction, so that the state change and its
 * event commit together or not at all. Publishing is the relay's job, after the commit.
 */
@ApplicationScoped
public class EventLog {

    private final ObjectMapper json;

    EventLog(ObjectMapper json) {
        this.json = json;
    }

    public Uni<EventEnvelope> append(String aggregateType, UUID aggregateId, long version, DomainEvent event,
            Instant occurredAt, String correlationId) {
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), aggregateType, aggregateId, version,
                event.eventType(), event.schemaVersion(), toJson(event), occurredAt, correlationId);
        return StoredEvent.of(envelope).persist().replaceWith(envelope);
    }

    private String toJson(DomainEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventType() + " cannot be written as JSON", e);
        }
    }
}
