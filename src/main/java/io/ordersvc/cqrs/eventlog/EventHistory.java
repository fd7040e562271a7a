package io.ordersvc.cqrs.eventlog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** An aggregate's events, read from the log in version order. */
@ApplicationScoped
public class EventHistory {

    private static final String HISTORY = """
            SELECT %s
              FROM events
             WHERE aggregate_type = $1 AND aggregate_id = $2
             ORDER BY version""".formatted(EventRows.COLUMNS);

    private final Pool primary;

    EventHistory(Pool primary) {
        this.primary = primary;
    }

    /** The aggregate's events as {@code database} (the primary or a replica) has them; empty when it has none. */
    public Uni<List<EventEnvelope>> of(Pool database, String aggregateType, UUID aggregateId) {
        return database.preparedQuery(HISTORY).execute(Tuple.of(aggregateType, aggregateId))
                .map(rows -> rows.stream().map(EventRows::envelope).toList());
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
