package io.ordersvc.catalog.query;

import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEventReader;
import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.catalog.projection.ProductViewProjection;
import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.cqrs.viewstore.ViewRefill;
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

/** Catalog queries: Redis first; a missing product view is folded from its events and put back (see {@link ViewRefill}). */
@ApplicationScoped
class ProductQueries {

    /** A page of the catalog; follow {@code /products/changes} from {@code changesPosition} to miss nothing after it. */
    @Schema(name = "CatalogPage")
    public record Page(List<ProductView> items, @Schema(nullable = true, description = "null on the last page") String nextCursor,
            long changesPosition) {
    }

    private final ViewStore views;
    private final ViewRefill refill;
    private final ReadModelRedis redis;
    private final ChangeFeed changes;
    private final ViewRefill.Kind<ProductView> productView;

    ProductQueries(ViewStore views, ViewRefill refill, ReadModelRedis redis, ProductEventReader events, ChangeFeed changes) {
        this.views = views;
        this.refill = refill;
        this.redis = redis;
        this.changes = changes;
        this.productView = new ViewRefill.Kind<>(ProductEvent.AGGREGATE_TYPE,
                stored -> ProductViewProjection.fold(events.history(stored)), ProductView::version, ProductViewProjection::snapshot);
    }

    public Uni<Optional<ProductView>> product(UUID id) {
        return views.read(ProductView.key(id))
                .onFailure().recoverWithItem(Map.of())
                .flatMap(hash -> hash.isEmpty() ? missed(id) : Uni.createFrom().item(Optional.of(ProductView.fromHash(hash))));
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
     * A miss: the product's view folded from its events and put back, the replica's only when the
     * primary says that it is the latest; the primary's when the replica is out, lags, or has not
     * replayed the product yet (a product added a moment ago is no 404).
     */
    private Uni<Optional<ProductView>> missed(UUID id) {
        return refill.missed(productView, id).map(found -> found.map(ViewRefill.Refilled::view));
    }

    private static List<String> members(Response reply) {
        List<String> members = new ArrayList<>();
        if (reply != null) {
            reply.forEach(r -> members.add(r.toString()));
        }
        return members;
    }
}
