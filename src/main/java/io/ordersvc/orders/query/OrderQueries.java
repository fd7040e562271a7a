package io.ordersvc.orders.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventRows;
import io.ordersvc.cqrs.eventlog.Upcasting;
import io.ordersvc.cqrs.view.Change;
import io.ordersvc.cqrs.view.ChangeFeed;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Order queries: the Redis view first; on a miss, one join on the read replica builds the view,
 * which is put back in Redis (version-guarded, so it never overwrites a newer projection).
 *
 * <p>Read-your-writes: given the version a command returned, the answer is never older. Redis
 * is waited for (without blocking: woken by the order's change notifications) up to a bound;
 * then the replica serves if it has replayed that far; else the primary does.
 */
@ApplicationScoped
public class OrderQueries {

    public enum Source {
        CACHE, REPLICA, PRIMARY
    }

    public record Answer(OrderView view, Source source) {
    }

    /** One entry of an order's audit trail; the payload in the current schema of its type. */
    public record HistoryEntry(String type, long version, Instant occurredAt, String correlationId, JsonNode payload) {
    }

    private static final Set<String> FINISHED = Set.of(OrderStatus.SHIPPED.name(), OrderStatus.CANCELLED.name());
    private static final String ORDER_WITH_LINES = """
            SELECT o.id, o.status, o.customer_id, c.name AS customer_name, c.email AS customer_email,
                   o.ship_line1, o.ship_city, o.ship_postal_code, o.ship_country, o.total, o.version,
                   o.placed_at, o.updated_at,
                   l.product_id, l.product_sku, l.product_name, l.unit_price, l.quantity, l.line_total
              FROM orders o
              JOIN customers c ON c.id = o.customer_id
              JOIN order_lines l ON l.order_id = o.id
             WHERE o.id = $1
             ORDER BY l.line_no""";
    private static final String HISTORY = """
            SELECT %s
              FROM events
             WHERE aggregate_type = 'order' AND aggregate_id = $1
             ORDER BY version""".formatted(EventRows.COLUMNS);

    private final ViewStore views;
    private final ChangeFeed changes;
    private final Pool replica;
    private final Pool primary;
    private final ObjectMapper json;
    private final Upcasting upcasting;
    private final OrderQueryConfig config;
    private final Map<Source, io.micrometer.core.instrument.Counter> reads = new EnumMap<>(Source.class);
    private final io.micrometer.core.instrument.Counter misses;

    OrderQueries(ViewStore views, ChangeFeed changes, @ReactiveDataSource("replica") Pool replica, Pool primary,
            ObjectMapper json, Upcasting upcasting, OrderQueryConfig config, MeterRegistry meters) {
        this.views = views;
        this.changes = changes;
        this.replica = replica;
        this.primary = primary;
        this.json = json;
        this.upcasting = upcasting;
        this.config = config;
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
                .onItem().transformToUniAndConcatenate(id -> orderDetails(id, null))
                .filter(Optional::isPresent)
                .map(a -> a.get().view())
                .collect().asList();
    }

    /** The order's events in version order, read from the event log on the replica. */
    public Uni<List<HistoryEntry>> history(UUID orderId) {
        return replica.preparedQuery(HISTORY).execute(Tuple.of(orderId))
                .map(rows -> rows.stream().map(r -> historyEntry(EventRows.envelope(r))).toList());
    }

    private Uni<Optional<Answer>> cached(UUID orderId) {
        return views.read(OrderView.key(orderId))
                .map(hash -> hash.isEmpty() ? Optional.<Answer>empty()
                        : Optional.of(new Answer(OrderView.fromHash(hash, json), Source.CACHE)))
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
                changes.live(OrderView.changesChannel(orderId)).map(Change::position),
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
        return load(replica, orderId)
                .map(view -> view.filter(v -> v.version() >= minVersion))
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Answer(v, Source.REPLICA)))
                .onFailure().recoverWithUni(() -> fromPrimary(orderId));
    }

    private Uni<Optional<Answer>> fromPrimary(UUID orderId) {
        return load(primary, orderId)
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Answer(v, Source.PRIMARY)));
    }

    private Uni<Optional<OrderView>> load(Pool database, UUID orderId) {
        return database.preparedQuery(ORDER_WITH_LINES).execute(Tuple.of(orderId)).map(OrderQueries::toView);
    }

    private Uni<Void> cache(OrderView view) {
        ViewWrite write = ViewWrite.snapshot(OrderView.key(view.orderId()), view.version(), view.toHash(json));
        return views.write(FINISHED.contains(view.status()) ? write.expiringAfter(config.finishedOrderTtl()) : write)
                .replaceWithVoid()
                // a view that could not be put back is rebuilt on the next miss
                .onFailure().recoverWithNull();
    }

    private HistoryEntry historyEntry(EventEnvelope envelope) {
        return new HistoryEntry(envelope.eventType(), envelope.version(), envelope.occurredAt(),
                envelope.correlationId(), upcasting.toCurrent(envelope));
    }

    private static Optional<OrderView> toView(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        List<OrderView.Line> lines = new ArrayList<>();
        Row first = null;
        for (Row r : rows) {
            first = first == null ? r : first;
            lines.add(new OrderView.Line(r.getUUID("product_id"), r.getString("product_sku"),
                    r.getString("product_name"), r.getBigDecimal("unit_price"), r.getInteger("quantity"),
                    r.getBigDecimal("line_total")));
        }
        return Optional.of(new OrderView(
                first.getUUID("id"),
                first.getString("status"),
                new OrderView.Customer(first.getUUID("customer_id"), first.getString("customer_name"),
                        first.getString("customer_email")),
                new ShippingAddress(first.getString("ship_line1"), first.getString("ship_city"),
                        first.getString("ship_postal_code"), first.getString("ship_country")),
                List.copyOf(lines),
                first.getBigDecimal("total"),
                first.getLong("version"),
                first.getOffsetDateTime("placed_at").toInstant(),
                first.getOffsetDateTime("updated_at").toInstant()));
    }
}
