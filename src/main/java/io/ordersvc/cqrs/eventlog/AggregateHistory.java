package io.ordersvc.cqrs.eventlog;

import io.smallrye.mutiny.Uni;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/** An aggregate's events, read from the log in version order. */
@ApplicationScoped
public class AggregateHistory {

    private static final String HISTORY = """
            SELECT %s
              FROM events
             WHERE aggregate_type = $1 AND aggregate_id = $2
             ORDER BY version""".formatted(EventsTable.COLUMNS);

    private static final String LATEST = "SELECT max(version) FROM events WHERE aggregate_type = $1 AND aggregate_id = $2";

    private final Pool primary;
    private final Pool replica;
    private final QueriesConfig config;

    AggregateHistory(Pool primary, @ReactiveDataSource("replica") Pool replica, QueriesConfig config) {
        this.primary = primary;
        this.replica = replica;
        this.config = config;
    }

    /**
     * The aggregate's events for a reader: from the replica, or from the primary when the replica
     * fails or does not answer in time, so that reads go on through the loss of either.
     */
    public Uni<List<EventEnvelope>> forReading(String aggregateType, UUID aggregateId) {
        return fromReplica(aggregateType, aggregateId)
                .onFailure().recoverWithUni(() -> of(primary, aggregateType, aggregateId));
    }

    /** The aggregate's events as the replica has them; failing when it does not answer in time. */
    public Uni<List<EventEnvelope>> fromReplica(String aggregateType, UUID aggregateId) {
        return of(replica, aggregateType, aggregateId).ifNoItem().after(config.replicaTimeout()).fail();
    }

    /**
     * The aggregate's version as the primary has it (that of its latest event), empty when it has
     * none; failing when the primary does not answer within the version check's timeout.
     */
    public Uni<OptionalLong> latestVersion(String aggregateType, UUID aggregateId) {
        return primary.preparedQuery(LATEST).execute(Tuple.of(aggregateType, aggregateId))
                .map(rows -> {
                    Long latest = rows.iterator().next().getLong(0);
                    return latest == null ? OptionalLong.empty() : OptionalLong.of(latest);
                })
                .ifNoItem().after(config.versionCheckTimeout()).fail();
    }

    /** The aggregate's events as the primary has them: all it has committed. */
    public Uni<List<EventEnvelope>> fromPrimary(String aggregateType, UUID aggregateId) {
        return of(primary, aggregateType, aggregateId);
    }

    /** The aggregate's events as {@code database} (the primary or a replica) has them; empty when it has none. */
    private Uni<List<EventEnvelope>> of(Pool database, String aggregateType, UUID aggregateId) {
        return database.preparedQuery(HISTORY).execute(Tuple.of(aggregateType, aggregateId))
                .map(rows -> rows.stream().map(EventsTable::envelope).toList());
    }

    /**
     * The event as its current record, complete: one stored before its type carried all that its
     * readers need is completed from the aggregate's earlier events, read from the primary.
     */
    public <E> Uni<E> completed(EventEnvelope envelope, E event, EventReader<E> reader) {
        if (reader.complete(event)) {
            return Uni.createFrom().item(event);
        }
        return of(primary, envelope.aggregateType(), envelope.aggregateId())
                .map(stored -> at(reader.history(stored), stored, envelope));
    }

    private static <E> E at(List<E> history, List<EventEnvelope> stored, EventEnvelope wanted) {
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).version() == wanted.version()) {
                return history.get(i);
            }
        }
        throw new MalformedEventException("event " + wanted.eventId() + " (version " + wanted.version() + " of "
                + wanted.aggregateId() + ") is not in the log", null);
    }
}
