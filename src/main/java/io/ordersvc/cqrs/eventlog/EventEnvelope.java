package io.ordersvc.cqrs.eventlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One event as the log stores it and as Kafka carries it: the payload is the event record's JSON,
 * described by its type and schema version so that older payloads can be upcast when read.
 *
 * @param traceParent the W3C traceparent of the request that caused the event (see
 *                    {@code TraceParent}), or null for an event stored before traces were kept
 */
public record EventEnvelope(
        UUID eventId,
        String aggregateType,
        UUID aggregateId,
        long version,
        String eventType,
        int schemaVersion,
        String payload,
        Instant occurredAt,
        String correlationId,
        String traceParent) {
}
