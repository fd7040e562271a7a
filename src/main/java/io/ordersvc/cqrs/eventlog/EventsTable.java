package io.ordersvc.cqrs.eventlog;

import io.vertx.mutiny.sqlclient.Row;

/** Reading the events table: the columns every reader selects, and the envelope of one row. */
public final class EventsTable {

    /** The select list that {@link #envelope(Row)} reads; {@code seq} comes first, for readers that page by it. */
    public static final String COLUMNS = """
            seq, event_id, aggregate_type, aggregate_id, version, event_type, schema_version,
            payload::text AS payload, occurred_at, correlation_id, trace_parent""";

    private EventsTable() {
    }

    public static EventEnvelope envelope(Row r) {
        return new EventEnvelope(
                r.getUUID("event_id"),
                r.getString("aggregate_type"),
                r.getUUID("aggregate_id"),
                r.getLong("version"),
                r.getString("event_type"),
                r.getInteger("schema_version"),
                r.getString("payload"),
                r.getOffsetDateTime("occurred_at").toInstant(),
                r.getString("correlation_id"),
                r.getString("trace_parent"));
    }
}
