package io.ordersvc.orders.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventHistory;
import io.ordersvc.cqrs.view.Change;
import io.ordersvc.cqrs.view.ChangeFeed;
import io.ordersvc.cqrs.view.ViewChange;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEvents;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.orders.projection.OrderViewConfig;
import io.ordersvc.orders.projection.OrderViewProjection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Order queries: the Redis view first; on a miss, the order's events read from the replica are
 * folded by the projection itself into the view, which is put back in Redis (version-guarded, so it
 * never overwrites a newer projection).
 *
 * <p>Read-your-writes: given the version a command returned, the answer is never older. Redis
 * is waited for (without blocking: woken by the order's change notifications) up to a bound;
 * then the replica serves if it has replayed that far; else the primary does.
 */
@ApplicationScoped
class OrderQueries {

    public enum Source {
        CACHE, REPLICA, PRIMARY
    }

    public record Answer(OrderView.Document view, Source source) {
    }

    /** One entry of an order's audit trail; the payload in the current schema of its type. */
    public record HistoryEntry(String type, long version, Instant occurredAt, String correlationId, JsonNode payload) {
    }

    private final ViewStore views;
    private final ChangeFeed changes;
    private final EventHistory log;
    private final OrderEvents events;
    private final ObjectMapper json;
    private final OrderQueryConfig config;
    private final OrderViewConfig viewConfig;
    private final Map<Source, Counter> reads = new EnumMap<>(Source.class);
    private final Counter misses;

    OrderQueries(ViewStore views, ChangeFeed changes,
            EventHistory log, OrderEvents events, ObjectMapper json, OrderQueryConfig config, OrderViewConfig viewConfig,
            MeterRegistry meters) {
        this.views = views;
        this.changes = changes;
        this.log = log;
        this.events = events;
        this.json = json;
        this.config = config;
        this.viewConfig = viewConfig;
        for (Source s : Source.values()) {
            reads.put(s, meters.counter("ordersvc.query.reads", "view", "order", "source", s.name().toLowerCase()));
        }
        this.misses = meters.counter("ordersvc.query.cache.misses", "view", "order");
    }

    /** The order's view; with {@code minVersion}, one at least that new. */
    public Uni<Optional<Answer>> orderDetails(UUID orderId, Long minVersion) {
        Uni<Optional<Answer>> answer = minVersion == null
                ? cached(orderId).flatMap(hit -> orElse(hit, () -> fromReplica(orderId, 0)))
                : cachedAtLeast(orderId, minVersion)
                        .flatMap(hit -> orElse(hit, () -> fromReplica(orderId, minVersion)))
                        .flatMap(hit -> orElse(hit, () -> fromPrimary(orderId)));
        return answer.invoke(a -> a.ifPresent(found -> reads.get(found.source()).increment()));
    }

    private static Uni<Optional<Answer>> orElse(Optional<Answer> hit, Supplier<Uni<Optional<Answer>>> next) {
        return hit.isPresent() ? Uni.createFrom().item(hit) : next.get();
    }

    /** The views of several orders, each from Redis or rebuilt from the replica; unknown ids are left out. */
    public Uni<List<OrderView>> orderViews(List<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createFrom().iterable(orderIds)
                .onItem().transformToUniAndConcatenate(this::view)
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().asList();
    }

    /** The order's view as a record, for lists: Redis, else the replica (and put back). */
    private Uni<Optional<OrderView>> view(UUID orderId) {
        return views.read(OrderView.key(orderId))
                .map(hash -> hash.isEmpty() ? Optional.<OrderView>empty() : Optional.of(OrderView.fromHash(hash)))
                .onFailure().recoverWithItem(Optional.empty())
                .flatMap(hit -> hit.isPresent() ? Uni.createFrom().item(hit)
                        : fold(log.forReading(OrderEvent.AGGREGATE_TYPE, orderId))
                                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem())));
    }

    /** The order's events in version order, each in its current shape, read from the event log on the replica (else the primary). */
    public Uni<List<HistoryEntry>> history(UUID orderId) {
        return log.forReading(OrderEvent.AGGREGATE_TYPE, orderId).map(this::historyEntries);
    }

    private Uni<Optional<Answer>> cached(UUID orderId) {
        return views.read(OrderView.key(orderId), OrderView.DOCUMENT_FIELDS)
                .map(fields -> OrderView.document(fields).map(document -> new Answer(document, Source.CACHE)))
                // Redis down is a miss: the replica still answers
                .onFailure().recoverWithItem(Optional.empty())
                .invoke(hit -> {
                    if (hit.isEmpty()) {
                        misses.increment();
                    }
                });
    }

    /**
     * Redis once the view reaches {@code minVersion}: checked at once and again at each change
     * notification of the order, until the bound. The notifications are followed before the first
     * check, so a change in between is not missed.
     */
    private Uni<Optional<Answer>> cachedAtLeast(UUID orderId, long minVersion) {
        Multi<Long> wakeUps = Multi.createBy().merging().streams(
                changes.live(OrderView.changesStream(orderId)).map(Change::position),
                Multi.createFrom().item(Long.MAX_VALUE));
        return wakeUps
                .filter(v -> v >= minVersion)
                .onItem().transformToUniAndConcatenate(v -> cached(orderId))
                .filter(hit -> hit.isPresent() && hit.get().view().version() >= minVersion)
                .toUni()
                .ifNoItem().after(config.readYourWritesWait()).recoverWithItem(Optional.empty());
    }

    /**
     * The replica's view when it has replayed at least to {@code minVersion}; when the replica
     * cannot be reached, the primary answers instead.
     */
    private Uni<Optional<Answer>> fromReplica(UUID orderId, long minVersion) {
        return fold(log.fromReplica(OrderEvent.AGGREGATE_TYPE, orderId))
                .map(view -> view.filter(v -> v.version() >= minVersion))
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Answer(v.document(), Source.REPLICA)))
                .onFailure().recoverWithUni(() -> fromPrimary(orderId));
    }

    private Uni<Optional<Answer>> fromPrimary(UUID orderId) {
        return fold(log.fromPrimary(OrderEvent.AGGREGATE_TYPE, orderId))
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Answer(v.document(), Source.PRIMARY)));
    }

    /** The view the order's events fold into. */
    private Uni<Optional<OrderView>> fold(Uni<List<EventEnvelope>> stored) {
        return stored.map(envelopes -> OrderViewProjection.fold(events.history(envelopes)));
    }

    private Uni<Void> cache(OrderView view) {
        return views.apply(ViewChange.of(OrderViewProjection.snapshot(view, viewConfig.finishedOrderTtl())))
                .replaceWithVoid()
                // a view that could not be put back is built again on the next miss
                .onFailure().recoverWithNull();
    }

    private List<HistoryEntry> historyEntries(List<EventEnvelope> stored) {
        List<OrderEvent> history = events.history(stored);
        List<HistoryEntry> entries = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            EventEnvelope e = stored.get(i);
            entries.add(new HistoryEntry(e.eventType(), e.version(), e.occurredAt(), e.correlationId(),
                    json.valueToTree(history.get(i))));
        }
        return entries;
    }
}
