package io.ordersvc.catalog.projection;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductPriceChanged;
import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.viewstore.ViewJson;
import io.ordersvc.cqrs.viewstore.ViewWrite;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The catalog, projected: what each product event writes to the product's view, the catalog's
 * index and the change streams. A read that misses the cache folds the product's events through
 * the same function.
 */
public final class ProductViewProjection {

    /** The data of a catalog change event, as SSE clients receive it. */
    public record ProductChanged(UUID productId, long version, String status, String unitPrice, String type) {
    }

    private ProductViewProjection() {
    }

    /** What the event at {@code version} changes in the catalog's read models. */
    public static ViewChange change(ProductEvent event, long version) {
        return ViewChange.of(write(event, version))
                .indexedIn(entries(event))
                .announced(announcement(event, version));
    }

    static ViewWrite write(ProductEvent event, long version) {
        String key = ProductView.key(event.productId());
        if (event instanceof ProductAdded added) {
            return ViewWrite.replace(key, version, new ProductView(added.productId(), added.sku(), added.name(),
                    added.unitPrice(), false, version).toHash());
        }
        if (event instanceof ProductPriceChanged changed) {
            return ViewWrite.patch(key, version, Map.of(ProductView.UNIT_PRICE, changed.newPrice().toPlainString()));
        }
        return ViewWrite.patch(key, version, Map.of(ProductView.DISCONTINUED, "true",
                ProductView.STATUS, ProductView.status(true)));
    }

    static List<IndexEntry> entries(ProductEvent event) {
        if (event instanceof ProductAdded added) {
            return List.of(new IndexEntry(ProductView.INDEX, 0, ProductView.indexMember(added.sku(), added.productId())));
        }
        return List.of();
    }

    static Announcement announcement(ProductEvent event, long version) {
        ProductChanged data = new ProductChanged(event.productId(), version, ProductView.status(event.discontinued()),
                plain(event.unitPrice()), event.eventType());
        return new Announcement(event.eventType(), ViewJson.write(data), ProductView.changesStream(event.productId()), version,
                List.of(ProductView.CHANGES));
    }

    /** The view a product's events (in version order, from version 1) fold into; empty before it was added. */
    public static Optional<ProductView> fold(List<ProductEvent> history) {
        Map<String, String> hash = ViewWrite.fold(IntStream.range(0, history.size())
                .mapToObj(i -> write(history.get(i), i + 1)).toList());
        return hash.isEmpty() ? Optional.empty() : Optional.of(ProductView.fromHash(hash));
    }

    /** A view put back whole, as a read that missed the cache found it. */
    public static ViewWrite snapshot(ProductView view) {
        return ViewWrite.replace(ProductView.key(view.productId()), view.version(), view.toHash());
    }

    private static String plain(BigDecimal price) {
        return price == null ? null : price.toPlainString();
    }
}
