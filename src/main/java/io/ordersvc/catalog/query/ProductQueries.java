package io.ordersvc.catalog.query;

import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEventReader;
import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.catalog.projection.ProductViewProjection;
import io.ordersvc.cqrs.eventlog.AggregateHistory;
import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Catalog queries: Redis first; a missing product view is folded from its events on the replica and put back. */
@ApplicationScoped
class ProductQueries {

    /** A page of the catalog; follow {@code /products/changes} from {@code changesPosition} to miss nothing after it. */
    @Schema(name = "CatalogPage")
    public record Page(List<ProductView> items, String nextCursor, long changesPosition) {
    }

    private final ViewStore views;
    private final ReadModelRedis redis;
    private final AggregateHistory log;
    private final ProductEventReader events;
    private final ChangeFeed changes;

    ProductQueries(ViewStore views, ReadModelRedis redis, AggregateHistory log, ProductEventReader events, ChangeFeed changes) {
        this.views = views;
        this.redis = redis;
        this.log = log;
        this.events = events;
        this.changes = changes;
    }

    public Uni<Optional<ProductView>> product(UUID id) {
        return views.read(ProductView.key(id))
                .onFailure().recoverWithItem(Map.of())
                .flatMap(hash -> hash.isEmpty() ? fromReplica(id) : Uni.createFrom().item(Optional.of(ProductView.fromHash(hash))));
    }

    /** Products ordered by sku; the cursor is the last sku:id of the previous page. */
    public Uni<Page> page(int limit, String cursor) {
        String from = cursor == null ? "-" : "(" + cursor;
        return changes.position(ProductView.CHANGES).flatMap(position -> views.bounded(redis.get().execute("ZRANGE", views.key(ProductView.INDEX), from, "+", "BYLEX", "LIMIT", "0", Integer.toString(limit + 1)))
                .map(ProductQueries::members)
                .flatMap(members -> Multi.createFrom().iterable(members.stream().limit(limit).toList())
                        .onItem().transformToUniAndConcatenate(m -> product(UUID.fromString(m.substring(m.lastIndexOf(':') + 1))))
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList()
                        .map(items -> new Page(items, members.size() > limit ? members.get(limit - 1) : null, position))));
    }

    /**
     * The view the product's events on the replica fold into, put back in Redis; the primary's when
     * the replica is out or has not replayed the product yet (a product added a moment ago is no 404).
     */
    private Uni<Optional<ProductView>> fromReplica(UUID id) {
        return log.forReading(ProductEvent.AGGREGATE_TYPE, id)
                .flatMap(stored -> stored.isEmpty() ? log.fromPrimary(ProductEvent.AGGREGATE_TYPE, id) : Uni.createFrom().item(stored))
                .map(stored -> ProductViewProjection.fold(events.history(stored)))
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()));
    }

    private Uni<Void> cache(ProductView view) {
        return views.putBack(ViewChange.of(ProductViewProjection.snapshot(view)));
    }

    private static List<String> members(Response reply) {
        List<String> members = new ArrayList<>();
        if (reply != null) {
            reply.forEach(r -> members.add(r.toString()));
        }
        return members;
    }
}
