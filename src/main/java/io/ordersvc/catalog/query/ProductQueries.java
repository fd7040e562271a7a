package io.ordersvc.catalog.query;

import io.ordersvc.cqrs.view.ChangeFeed;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Catalog queries: Redis first; a missing product view is rebuilt from the replica and put back. */
@ApplicationScoped
public class ProductQueries {

    /** A page of the catalog; follow {@code /products/changes} from {@code changesPosition} to miss nothing after it. */
    public record Page(List<ProductView> items, String nextCursor, long changesPosition) {
    }

    private final ViewStore views;
    private final ReactiveRedisDataSource redis;
    private final Pool replica;

    private final ChangeFeed changes;

    ProductQueries(ViewStore views, ReactiveRedisDataSource redis, @ReactiveDataSource("replica") Pool replica, ChangeFeed changes) {
        this.views = views;
        this.changes = changes;
        this.redis = redis;
        this.replica = replica;
    }

    public Uni<Optional<ProductView>> product(UUID id) {
        return views.read(ProductView.key(id))
                .onFailure().recoverWithItem(java.util.Map.of())
                .flatMap(hash -> hash.isEmpty() ? fromReplica(id) : Uni.createFrom().item(Optional.of(ProductView.fromHash(hash))));
    }

    /** Products ordered by sku; the cursor is the last sku:id of the previous page. */
    public Uni<Page> page(int limit, String cursor) {
        String from = cursor == null ? "-" : "(" + cursor;
        return changes.position(ProductView.CHANGES).flatMap(position -> redis.execute("ZRANGE", views.key(ProductView.INDEX), from, "+", "BYLEX", "LIMIT", "0", Integer.toString(limit + 1))
                .map(ProductQueries::members)
                .flatMap(members -> Multi.createFrom().iterable(members.stream().limit(limit).toList())
                        .onItem().transformToUniAndConcatenate(m -> product(UUID.fromString(m.substring(m.lastIndexOf(':') + 1))))
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList()
                        .map(items -> new Page(items, members.size() > limit ? members.get(limit - 1) : null, position))));
    }

    private Uni<Optional<ProductView>> fromReplica(UUID id) {
        return replica.preparedQuery("SELECT id, sku, name, unit_price, discontinued, version FROM products WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<ProductView>empty() : Optional.of(view(rows.iterator().next())))
                .call(view -> view.map(v -> views.write(ViewWrite.snapshot(ProductView.key(id), v.version(), v.toHash()))
                        .replaceWithVoid().onFailure().recoverWithNull()).orElse(Uni.createFrom().voidItem()));
    }

    private static ProductView view(Row r) {
        return new ProductView(r.getUUID("id"), r.getString("sku"), r.getString("name"), r.getBigDecimal("unit_price"),
                r.getBoolean("discontinued"), r.getLong("version"));
    }

    private static List<String> members(Response reply) {
        List<String> members = new ArrayList<>();
        if (reply != null) {
            reply.forEach(r -> members.add(r.toString()));
        }
        return members;
    }
}
