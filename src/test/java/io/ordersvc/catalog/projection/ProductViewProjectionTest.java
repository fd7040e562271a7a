package io.ordersvc.catalog.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductDiscontinued;
import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEventReader;
import io.ordersvc.catalog.event.ProductPriceChanged;
import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.cqrs.viewstore.ViewChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The catalog, projected: given a product's events, expect its view, its index entry and its announcements. */
class ProductViewProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final UUID id = UUID.randomUUID();
    private final ProductAdded added = new ProductAdded(id, "TEA-1", "Green tea", new BigDecimal("3.50"), T0);
    private final ProductPriceChanged repriced = new ProductPriceChanged(id, new BigDecimal("3.50"), new BigDecimal("4.00"), T0);
    private final ProductDiscontinued discontinued = new ProductDiscontinued(id, new BigDecimal("4.00"), T0);

    @Test
    void a_product_added_is_listed_by_sku_and_announced_on_its_own_stream_and_the_catalogs() {
        ViewChange change = ProductViewProjection.change(added, 1);

        assertThat(change.view().replace()).isTrue();
        assertThat(change.indexes()).containsExactly(new IndexEntry("products:{catalog}", 0, "TEA-1:" + id));
        assertThat(change.announcement().stream()).isEqualTo("changes:product:{" + id + "}");
        assertThat(change.announcement().alsoOn()).containsExactly("changes:products:{catalog}");
        assertThat(change.announcement().data()).isEqualTo("{\"productId\":\"" + id
                + "\",\"version\":1,\"status\":\"ACTIVE\",\"unitPrice\":\"3.50\",\"type\":\"ProductAdded\"}");
    }

    @Test
    void a_discontinuation_is_announced_with_the_price_the_product_last_sold_at() {
        ViewChange change = ProductViewProjection.change(discontinued, 3);

        assertThat(change.view().fields()).containsEntry("status", "DISCONTINUED").containsEntry("discontinued", "true");
        assertThat(change.announcement().data()).contains("\"status\":\"DISCONTINUED\"", "\"unitPrice\":\"4.00\"");
    }

    @Test
    void a_products_events_fold_into_its_view() {
        ProductView view = ProductViewProjection.fold(List.of(added, repriced, discontinued)).orElseThrow();

        assertThat(view).isEqualTo(new ProductView(id, "TEA-1", "Green tea", new BigDecimal("4.00"), true, 3));
    }

    @Test
    void an_old_discontinuation_without_a_price_takes_it_from_the_events_before_it() {
        List<ProductEvent> stored = List.of(added, repriced, new ProductDiscontinued(id, null, T0));

        assertThat(ProductEventReader.completed(stored).get(2)).isEqualTo(discontinued);
    }
}
