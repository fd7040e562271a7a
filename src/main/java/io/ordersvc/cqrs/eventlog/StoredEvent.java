package io.ordersvc.cqrs.eventlog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A row of the append-only event table. Its sequence number and the relay's published mark are
 * left to the database and the relay: the command side only ever inserts.
 */
@Entity
@Table(name = "events")
public class StoredEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "aggregate_type")
    public String aggregateType;

    @Column(name = "aggregate_id")
    public UUID aggregateId;

    public long version;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "schema_version")
    public int schemaVersion;

    /* through text: a string bound straight to jsonb would be stored as a JSON string */
    @ColumnTransformer(write = "?::text::jsonb")
    public String payload;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "correlation_id")
    public String correlationId;

    static StoredEvent of(EventEnvelope e) {
        StoredEvent row = new StoredEvent();
        row.eventId = e.eventId();
        row.aggregateType = e.aggregateType();
        row.aggregateId = e.aggregateId();
        row.version = e.version();
        row.eventType = e.eventType();
        row.schemaVersion = e.schemaVersion();
        row.payload = e.payload();
        row.occurredAt = e.occurredAt();
        row.correlationId = e.correlationId();
        return row;
    }
}
