package io.ordersvc.orders.query;

import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.projection.AwaitingShipmentProjection;
import io.ordersvc.orders.projection.OrderView;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Staff's queue of orders awaiting shipment, the longest waiting first, a page at a time. The
 * projector keeps the index (a sorted set scored by confirmation time); each order's customer and
 * total come from its view. With Redis out, the replica lists the same orders from the write model:
 * those confirmed and neither shipped nor cancelled, timed by their confirmation in the event log.
 */
@ApplicationScoped
class AwaitingShipment {

    /**
     * The queue's order from the write model: the confirmation's time as its event tells it (what the
     * projection scores by) in epoch milliseconds, then the id in byte order, as Redis orders members
     * of one score. It reads every confirmed order (no index on the status, which would make each
     * status change an update of every index of the table), within the replica's timeout.
     */
    private static final String CONFIRMED = """
            SELECT order_id, customer_id, total, score
              FROM (SELECT o.id::text COLLATE "C" AS order_id, o.customer_id, o.total,
                           floor(extract(epoch FROM (e.payload->>'confirmedAt')::timestamptz) * 1000)::bigint AS score
                      FROM orders o JOIN events e ON e.aggregate_id = o.id AND e.event_type = 'OrderConfirmed'
                     WHERE o.status = 'CONFIRMED') confirmed
             WHERE score > $1 OR score = $1 AND order_id > $2
             ORDER BY score, order_id
             LIMIT $3""";

    @Schema(name = "AwaitingShipmentItem")
    public record Item(UUID orderId, UUID customerId, BigDecimal total, Instant confirmedAt) {
    }

    /** A page of the queue; follow its changes from {@code changesPosition} to miss nothing after it. */
    @Schema(name = "AwaitingShipmentPage")
    public record Page(List<Item> items, @Schema(nullable = true, description = "null on the last page") String nextCursor,
            long changesPosition) {
    }

    /** An order of the queue, and its item when the source that listed it knew it (the replica does). */
    private record Queued(IndexedOrder entry, Item item) {
    }

    private record Index(List<Queued> entries, long position) {
    }

    private final ReadModelRedis redis;
    private final Pool replica;
    private final ViewStore views;
    private final OrderQueries orders;
    private final ChangeFeed changes;

    AwaitingShipment(ReadModelRedis redis, @ReactiveDataSource("replica") Pool replica, ViewStore views, OrderQueries orders,
            ChangeFeed changes) {
        this.redis = redis;
        this.replica = replica;
        this.views = views;
        this.orders = orders;
        this.changes = changes;
    }

    public Uni<Page> page(int limit, String cursor) {
        IndexedOrder after = cursor == null ? null : IndexedOrder.fromCursor(cursor);
        return fromRedis(after, limit + 1 + (after == null ? 0 : IndexedOrder.TIE_ALLOWANCE))
                // Redis out: the write model's rows on the replica list the same orders
                .onFailure().recoverWithUni(() -> fromReplica(after, limit + 1))
                .flatMap(index -> page(index, after, limit));
    }

    /** The page of the entries after the cursor's; its cursor names its last entry when more follow. */
    private Uni<Page> page(Index index, IndexedOrder after, int limit) {
        List<Queued> entries = index.entries().stream().filter(q -> after == null || after.isBefore(q.entry()))
                .limit(limit + 1).toList();
        String next = entries.size() > limit ? entries.get(limit - 1).entry().cursor() : null;
        return items(entries.stream().limit(limit).toList()).map(items -> new Page(items, next, index.position()));
    }

    /**
     * Up to {@code wanted} entries of the queue from the cursor's score on, oldest first, and the
     * stream's position, read first: a client that follows from it misses nothing after the page.
     */
    private Uni<Index> fromRedis(IndexedOrder after, int wanted) {
        String key = views.key(AwaitingShipmentProjection.KEY);
        return changes.position(AwaitingShipmentProjection.CHANGES)
                .flatMap(position -> views.bounded(redis.get().execute("ZRANGE", key,
                                after == null ? "-inf" : Long.toString(after.score()), "+inf", "BYSCORE",
                                "LIMIT", "0", Integer.toString(wanted), "WITHSCORES"))
                        .map(reply -> new Index(IndexedOrder.of(reply).stream().map(e -> new Queued(e, null)).toList(), position)));
    }

    /**
     * The same orders as the replica has them, with their customer and total. The stream's position
     * cannot be known without Redis: it is given as 0, so that a client that follows from there is
     * sent what the stream keeps, or a reset, and misses nothing.
     */
    private Uni<Index> fromReplica(IndexedOrder after, int wanted) {
        Tuple from = after == null ? Tuple.of(Long.MIN_VALUE, "", wanted) : Tuple.of(after.score(), after.orderId(), wanted);
        return replica.preparedQuery(CONFIRMED).execute(from)
                .ifNoItem().after(IndexedOrder.REPLICA_TIMEOUT).fail()
                .map(rows -> {
                    List<Queued> entries = new ArrayList<>();
                    rows.forEach(row -> entries.add(queued(row)));
                    return new Index(entries, 0);
                });
    }

    private static Queued queued(Row row) {
        IndexedOrder entry = new IndexedOrder(row.getString("order_id"), row.getLong("score"));
        return new Queued(entry, new Item(entry.id(), row.getUUID("customer_id"), row.getBigDecimal("total"),
                Instant.ofEpochMilli(entry.score())));
    }

    /**
     * Each order's item: as the replica listed it, else from the order's view. An order whose view
     * says it left the queue (shipped or cancelled between the two reads) is left out.
     */
    private Uni<List<Item>> items(List<Queued> queued) {
        List<UUID> fromViews = queued.stream().filter(q -> q.item() == null).map(q -> q.entry().id()).toList();
        return orders.orderViews(fromViews)
                .map(found -> found.stream().collect(Collectors.toMap(OrderView::orderId, Function.identity())))
                .map(byId -> queued.stream().map(q -> item(q, byId)).flatMap(Optional::stream).toList());
    }

    private static Optional<Item> item(Queued queued, Map<UUID, OrderView> views) {
        if (queued.item() != null) {
            return Optional.of(queued.item());
        }
        return Optional.ofNullable(views.get(queued.entry().id()))
                .filter(view -> OrderStatus.CONFIRMED.name().equals(view.status()))
                .map(view -> new Item(view.orderId(), view.customer().customerId(), view.total(),
                        Instant.ofEpochMilli(queued.entry().score())));
    }
}
