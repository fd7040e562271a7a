package io.ordersvc.cqrs.viewstore;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.AggregateHistory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Refills a view that a read missed in Redis: the aggregate's events, read from the replica, are
 * folded into the view, which is put back (version-guarded, so it never overwrites a newer
 * projection) only once the primary says that it is the latest; when the replica lacks the
 * aggregate or lags behind it, the primary's fold is answered and put back instead. A lagging
 * replica's view, once put back, would stay stale: the projector skipped the newer event's change
 * while the view was absent. An aggregate the primary does not have does not exist. When the
 * primary cannot say, the replica's view is answered but not put back.
 */
@ApplicationScoped
public class ViewRefill {

    /** How a kind of view is folded from its aggregate's events, and written back whole. */
    public record Kind<V>(String aggregateType, Function<List<EventEnvelope>, Optional<V>> fold, ToLongFunction<V> version,
            Function<V, ViewWrite> snapshot) {
    }

    /** A view folded from the event log, and the database it was read from. */
    public record Refilled<V>(V view, ReadSource source) {
    }

    private final AggregateHistory log;
    private final ViewStore views;

    ViewRefill(AggregateHistory log, ViewStore views) {
        this.log = log;
        this.views = views;
    }

    /** The view as the replica has it when the primary says it is the latest, else as the primary has it. */
    public <V> Uni<Optional<Refilled<V>>> missed(Kind<V> kind, UUID id) {
        return fold(kind, log.fromReplica(kind.aggregateType(), id))
                .onFailure().recoverWithItem(Optional.empty())
                .flatMap(replica -> log.latestVersion(kind.aggregateType(), id)
                        .flatMap(latest -> latestOf(kind, id, replica, latest))
                        .onFailure().recoverWithItem(() -> replica.map(v -> new Refilled<>(v, ReadSource.REPLICA))));
    }

    /** The view as the primary has it (all it has committed), put back. */
    public <V> Uni<Optional<Refilled<V>>> fromPrimary(Kind<V> kind, UUID id) {
        return fold(kind, log.fromPrimary(kind.aggregateType(), id))
                .call(view -> view.map(v -> putBack(kind, v)).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Refilled<>(v, ReadSource.PRIMARY)));
    }

    private <V> Uni<Optional<Refilled<V>>> latestOf(Kind<V> kind, UUID id, Optional<V> replica, OptionalLong latest) {
        if (latest.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Optional<V> current = replica.filter(v -> kind.version().applyAsLong(v) >= latest.getAsLong());
        return current.isPresent()
                ? putBack(kind, current.get()).replaceWith(current.map(v -> new Refilled<>(v, ReadSource.REPLICA)))
                : fromPrimary(kind, id);
    }

    private static <V> Uni<Optional<V>> fold(Kind<V> kind, Uni<List<EventEnvelope>> stored) {
        return stored.map(kind.fold());
    }

    private <V> Uni<Void> putBack(Kind<V> kind, V view) {
        return views.putBack(ViewChange.of(kind.snapshot().apply(view)));
    }
}
