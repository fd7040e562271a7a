package io.ordersvc.orders.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.AggregateHistory;
import io.ordersvc.cqrs.tracing.TraceParent;
import io.ordersvc.cqrs.changes.Change;
import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.viewstore.ReadSource;
import io.ordersvc.cqrs.viewstore.ViewRefill;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEventReader;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.orders.projection.OrderViewConfig;
import io.ordersvc.orders.projection.OrderViewProjection;
import io.ordersvc.orders.projection.OrderViewTtl;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Order queries: the Redis view first; on a miss, the order's events are folded by the projection
 * itself into the view, which is put back in Redis ({@link ViewRefill}: the replica's once the
 * primary confirms that it is the latest; a replica that lags or lacks the order gives way to the
 * primary).
 *
 * <p>Read-your-writes: given the version a command returned, the answer is never older. Redis
 * is waited for (without blocking: woken by the order's change notifications) up to a bound;
 * then the replica serves if it has replayed that far; else the primary does.
 */
@ApplicationScoped
class OrderQueries {

    public record Answer(OrderView.Document view, ReadSource source) {
    }

    /**
     * One entry of an order's audit trail; the payload in the current schema of its type.
     *
     * @param traceId the trace of the request that caused the event (the caller's own when it sent a
     *                {@code traceparent}); null for an event stored before traces were kept
     */
    public record HistoryEntry(String type, long version, Instant occurredAt, String correlationId,
            @Schema(nullable = true) String traceId,
            // implementation: else the scanner reads JsonNode, an Iterable, as an array
            @Schema(type = SchemaType.OBJECT, implementation = Object.class,
                    description = "The event's data, in the current schema of its type") JsonNode payload) {
    }

    /** An order's audit trail, and whose order it is. */
    public record History(UUID customerId, List<HistoryEntry> entries) {
    }

    /** The order as the write model has it: its version and its customer. */
    record Written(long version, UUID customerId) {
    }

    private final ViewStore views;
    private final ViewRefill refill;
    private final ChangeFeed changes;
    private final Pool primary;
    private final AggregateHistory log;
    private final OrderEventReader events;
    private final ObjectMapper json;
    private final OrderQueryConfig config;
    private final ViewRefill.Kind<OrderView> orderView;
    private final Map<ReadSource, Counter> reads = new EnumMap<>(ReadSource.class);
    private final Counter misses;

    OrderQueries(ViewStore views, ViewRefill refill, ChangeFeed changes, Pool primary, AggregateHistory log, OrderEventReader events,
            ObjectMapper json, OrderQueryConfig config, OrderViewConfig viewConfig, MeterRegistry meters) {
        this.views = views;
        this.refill = refill;
        this.changes = changes;
        this.primary = primary;
        this.log = log;
        this.events = events;
        this.json = json;
        this.config = config;
        OrderViewTtl viewTtl = OrderViewTtl.of(viewConfig);
        this.orderView = new ViewRefill.Kind<>(OrderEvent.AGGREGATE_TYPE,
                stored -> OrderViewProjection.fold(events.history(stored)), OrderView::version,
                view -> OrderViewProjection.snapshot(view, viewTtl));
        for (ReadSource s : ReadSource.values()) {
            reads.put(s, meters.counter("ordersvc.query.reads", "view", "order", "source", s.name().toLowerCase()));
        }
        this.misses = meters.counter("ordersvc.query.cache.misses", "view", "order");
    }

    /**
     * The order's view; with {@code minVersion}, one at least that new. A version the order has not
     * reached fails with {@link VersionNotReached} at once.
     */
    public Uni<Optional<Answer>> orderDetails(UUID orderId, Long minVersion) {
        Uni<Optional<Answer>> answer = minVersion == null
                ? cached(orderId).flatMap(hit -> orElse(hit, () -> missed(orderId).map(found -> found.map(OrderQueries::answer))))
                : cached(orderId).map(hit -> hit.filter(found -> found.view().version() >= minVersion))
                        .flatMap(hit -> orElse(hit, () -> unlessUnreachable(orderId, minVersion)));
        return answer.invoke(a -> a.ifPresent(found -> reads.get(found.source()).increment()));
    }

    /**
     * Waits for the version only if it can come: the write model is asked for the order's version
     * (one read of its row by key, made only when Redis does not have the version yet). Every version
     * a command answered was committed there before the answer, so a higher one is a client's error,
     * and an order the primary lacks does not exist: neither is waited for. When the primary does not
     * answer in time, the read waits as it would without this check.
     */
    private Uni<Optional<Answer>> unlessUnreachable(UUID orderId, long minVersion) {
        return writtenVersion(orderId).onItemOrFailure().transformToUni((written, failure) -> failure != null
                ? atLeast(orderId, minVersion) : reachable(orderId, minVersion, written));
    }

    private Uni<Optional<Written>> writtenVersion(UUID orderId) {
        return primary.preparedQuery("SELECT version, customer_id FROM orders WHERE id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.size() == 0 ? Optional.<Written>empty()
                        : Optional.of(new Written(rows.iterator().next().getLong(0), rows.iterator().next().getUUID(1))))
                .ifNoItem().after(config.versionCheckTimeout()).fail();
    }

    private Uni<Optional<Answer>> reachable(UUID orderId, long minVersion, Optional<Written> written) {
        if (written.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (written.get().version() < minVersion) {
            return Uni.createFrom().failure(new VersionNotReached(written.get()));
        }
        return atLeast(orderId, minVersion);
    }

    /** Redis once it reaches the version, within the bound; else the replica if it has; else the primary. */
    private Uni<Optional<Answer>> atLeast(UUID orderId, long minVersion) {
        return cachedAtLeast(orderId, minVersion)
                .flatMap(hit -> orElse(hit, () -> missed(orderId)
                        .map(found -> found.filter(f -> f.view().version() >= minVersion).map(OrderQueries::answer))))
                .flatMap(hit -> orElse(hit, () -> refill.fromPrimary(orderView, orderId).map(found -> found.map(OrderQueries::answer))));
    }

    /** A client asked for a version of the order that the write model has not reached. */
    static final class VersionNotReached extends RuntimeException {

        private final transient Written written;

        VersionNotReached(Written written) {
            super("version not reached", null, false, false);
            this.written = written;
        }

        long current() {
            return written.version();
        }

        UUID customerId() {
            return written.customerId();
        }
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
                        : missed(orderId).map(found -> found.map(ViewRefill.Refilled::view)));
    }

    /** The order's events in version order, each in its current shape, read from the event log on the replica (else the primary). */
    public Uni<Optional<History>> history(UUID orderId) {
        return log.forReading(OrderEvent.AGGREGATE_TYPE, orderId).map(this::history);
    }

    /**
     * The customer whose order this is: from its view in Redis, else from the write model's row (an
     * order just placed may not be projected yet); empty for an order that does not exist.
     */
    public Uni<Optional<UUID>> customerOf(UUID orderId) {
        return views.read(OrderView.key(orderId), List.of(OrderView.CUSTOMER))
                .map(fields -> Optional.ofNullable(fields.get(0)).map(OrderView::customerId))
                .onFailure().recoverWithItem(Optional.empty())
                .flatMap(cached -> cached.isPresent() ? Uni.createFrom().item(cached)
                        : writtenVersion(orderId).map(written -> written.map(Written::customerId)));
    }

    private Uni<Optional<Answer>> cached(UUID orderId) {
        return views.read(OrderView.key(orderId), OrderView.DOCUMENT_FIELDS)
                .map(fields -> OrderView.document(fields).map(document -> new Answer(document, ReadSource.CACHE)))
                // Redis down is a miss: the replica still answers
                .onFailure().recoverWithItem(Optional.empty())
                .invoke(hit -> {
                    if (hit.isEmpty()) {
                        misses.increment();
                    }
                });
    }

    /**
     * Redis once the view reaches {@code minVersion}: checked once this instance follows the order's
     * notifications, and again at each one, until the bound; so a change in between is not missed.
     */
    private Uni<Optional<Answer>> cachedAtLeast(UUID orderId, long minVersion) {
        String stream = OrderView.changesStream(orderId);
        Multi<Long> wakeUps = Multi.createBy().merging().streams(
                changes.live(stream).map(Change::position),
                changes.listening(stream).map(following -> Long.MAX_VALUE).toMulti());
        return wakeUps
                .filter(v -> v >= minVersion)
                .onItem().transformToUniAndConcatenate(v -> cached(orderId))
                .filter(hit -> hit.isPresent() && hit.get().view().version() >= minVersion)
                .toUni()
                .ifNoItem().after(config.readYourWritesWait()).recoverWithItem(Optional.empty());
    }

    /** A miss: the order's view folded from its events and put back (see {@link ViewRefill}). */
    private Uni<Optional<ViewRefill.Refilled<OrderView>>> missed(UUID orderId) {
        return refill.missed(orderView, orderId);
    }

    private static Answer answer(ViewRefill.Refilled<OrderView> found) {
        return new Answer(found.view().document(), found.source());
    }

    private Optional<History> history(List<EventEnvelope> stored) {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        List<OrderEvent> history = events.history(stored);
        List<HistoryEntry> entries = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            EventEnvelope e = stored.get(i);
            entries.add(new HistoryEntry(e.eventType(), e.version(), e.occurredAt(), e.correlationId(),
                    TraceParent.traceId(e.traceParent()), json.valueToTree(history.get(i))));
        }
        return Optional.of(new History(history.get(0).customerId(), entries));
    }
}
