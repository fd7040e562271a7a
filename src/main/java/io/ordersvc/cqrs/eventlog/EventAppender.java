package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.tracing.TraceParent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Appends events to the log inside the caller's transaction, so that the state change and its
 * event commit together or not at all. The command side only ever inserts: the sequence number is
 * the database's, and publishing (the relay's mark) comes after the commit. Each event keeps the
 * trace context of the request that caused it, so that its publishing, projection and delivery
 * join that request's trace.
 */
@ApplicationScoped
public class EventAppender {

    /* the payload goes in as text: a string bound straight to jsonb would be stored as a JSON string */
    private static final String APPEND = """
            INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload,
                                occurred_at, correlation_id, trace_parent)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10)""";

    private final ObjectMapper json;

    EventAppender(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The time to stamp a new event with: now, to the millisecond, so that the event's payload, its
     * envelope and the rows written with it name the same instant once stored (the database keeps
     * microseconds, the clock may give nanoseconds).
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public Uni<EventEnvelope> append(SqlConnection transaction, String aggregateType, UUID aggregateId, long version,
            DomainEvent event, Instant occurredAt, String correlationId) {
        EventEnvelope e = new EventEnvelope(UUID.randomUUID(), aggregateType, aggregateId, version,
                event.eventType(), event.schemaVersion(), toJson(event), occurredAt, correlationId, TraceParent.current());
        return transaction.preparedQuery(APPEND)
                .execute(Tuple.from(new Object[] {e.eventId(), e.aggregateType(), e.aggregateId(), e.version(),
                        e.eventType(), e.schemaVersion(), e.payload(), e.occurredAt().atOffset(ZoneOffset.UTC),
                        e.correlationId(), e.traceParent()}))
                .replaceWith(e);
    }

    private String toJson(DomainEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventType() + " cannot be written as JSON", e);
        }
    }
}
