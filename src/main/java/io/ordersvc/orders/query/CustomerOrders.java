package io.ordersvc.orders.query;

import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A customer's orders, newest first, a page at a time. The projector keeps the index (a sorted
 * set scored by placing time); the cursor names the last order of a page, so pages stay stable
 * while new orders arrive.
 */
@ApplicationScoped
class CustomerOrders {

    /** The index's order (score = placing time in epoch milliseconds, then id, both descending), from the write model. */
    private static final String BY_CUSTOMER = """
            SELECT id::text AS order_id, floor(extract(epoch FROM placed_at) * 1000)::bigint AS score
              FROM orders
             WHERE customer_id = $1 AND floor(extract(epoch FROM placed_at) * 1000)::bigint <= $2
             ORDER BY placed_at DESC, id::text DESC
             LIMIT $3""";

    public record Summary(UUID orderId, String status, BigDecimal total, Instant placedAt, long version) {
    }

    /** A page of a customer's orders; follow their changes from {@code changesPosition} to miss nothing after it. */
    @Schema(name = "CustomerOrdersPage")
    public record Page(UUID customerId, List<Summary> items,
            @Schema(nullable = true, description = "null on the last page") String nextCursor, long changesPosition) {
    }

    private final ReadModelRedis redis;
    private final Pool replica;
    private final ViewStore views;
    private final OrderQueries orders;

    private final ChangeFeed changes;

    CustomerOrders(ReadModelRedis redis, @ReactiveDataSource("replica") Pool replica, ViewStore views,
            OrderQueries orders, ChangeFeed changes) {
        this.redis = redis;
        this.replica = replica;
        this.changes = changes;
        this.views = views;
        this.orders = orders;
    }

    public Uni<Page> page(UUID customerId, int limit, String cursor) {
        IndexedOrder after = cursor == null ? null : IndexedOrder.fromCursor(cursor);
        long max = after == null ? Long.MAX_VALUE : after.score();
        int wanted = limit + 1 + (after == null ? 0 : IndexedOrder.TIE_ALLOWANCE);
        return fromRedis(customerId, max, wanted, after == null)
                // Redis out: the write model's rows on the replica list the same orders
                .onFailure().recoverWithUni(() -> fromReplica(customerId, max, wanted))
                .flatMap(index -> {
                    // newest first: what comes after the cursor's entry is what the index orders before it
                    List<IndexedOrder> entries = index.entries().stream().filter(e -> after == null || e.isBefore(after)).limit(limit + 1).toList();
                    return orders.orderViews(entries.stream().limit(limit).map(IndexedOrder::id).toList())
                            .map(views -> new Page(customerId,
                                    views.stream().map(v -> new Summary(v.orderId(), v.status(), v.total(), v.placedAt(), v.version())).toList(),
                                    entries.size() > limit ? entries.get(limit - 1).cursor() : null, index.position()));
                });
    }

    /**
     * Up to {@code wanted} entries of the index scored {@code max} or less, newest first, and the
     * stream's position. The index keeps a customer's most recent orders only: when a later page has
     * fewer entries than wanted and the index is full, older ones may have left it, and the replica
     * lists them (a first page that comes short is all there is: a page is far smaller than the index).
     */
    private Uni<Index> fromRedis(UUID customerId, long max, int wanted, boolean firstPage) {
        String key = views.key(CustomerOrdersProjection.key(customerId));
        return changes.position(CustomerOrdersProjection.changesStream(customerId))
                .flatMap(position -> views.bounded(redis.get().execute("ZRANGE", key,
                                max == Long.MAX_VALUE ? "+inf" : Long.toString(max), "-inf", "BYSCORE", "REV",
                                "LIMIT", "0", Integer.toString(wanted), "WITHSCORES"))
                        .map(reply -> new Index(IndexedOrder.of(reply), position)))
                .flatMap(index -> firstPage || index.entries().size() == wanted ? Uni.createFrom().item(index)
                        : views.bounded(redis.get().execute("ZCARD", key)).flatMap(size -> size.toLong() < CustomerOrdersProjection.KEPT
                                ? Uni.createFrom().item(index)
                                : fromReplica(customerId, max, wanted).map(older -> new Index(older.entries(), index.position()))));
    }

    /**
     * The same entries from the orders the replica has. Their stream's position cannot be known
     * without Redis: it is given as 0, so that a client that follows from there is sent what the
     * stream keeps, or a reset, and misses nothing.
     */
    private Uni<Index> fromReplica(UUID customerId, long max, int wanted) {
        return replica.preparedQuery(BY_CUSTOMER).execute(Tuple.of(customerId, max, wanted))
                .ifNoItem().after(IndexedOrder.REPLICA_TIMEOUT).fail()
                .map(rows -> {
                    List<IndexedOrder> entries = new ArrayList<>();
                    rows.forEach(row -> entries.add(new IndexedOrder(row.getString("order_id"), row.getLong("score"))));
                    return new Index(entries, 0);
                });
    }

    private record Index(List<IndexedOrder> entries, long position) {
    }
}
