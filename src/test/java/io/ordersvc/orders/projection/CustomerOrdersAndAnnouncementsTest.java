package io.ordersvc.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.orders.AnOrder;
import io.ordersvc.orders.event.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A customer's orders and the change streams, projected: from the event alone, never from another view. */
class CustomerOrdersAndAnnouncementsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final AnOrder order = new AnOrder();

    @Test
    void an_order_placed_enters_its_customers_list_scored_by_when_it_was_placed() {
        assertThat(CustomerOrdersProjection.entries(order.placed(T0))).containsExactly(
                new IndexEntry("customer:{" + order.customerId + "}:orders", T0.toEpochMilli(), order.orderId.toString())
                        .keepingAtMost(CustomerOrdersProjection.KEPT));
        assertThat(CustomerOrdersProjection.entries(order.confirmed(T0))).isEmpty();
    }

    @Test
    void a_customers_list_keeps_the_most_recent_orders_and_no_more() {
        List<IndexEntry> entries = new ArrayList<>();
        AnOrder oldest = null;
        for (int i = 0; i <= CustomerOrdersProjection.KEPT; i++) {
            AnOrder placed = new AnOrder();
            oldest = oldest == null ? placed : oldest;
            entries.addAll(CustomerOrdersProjection.entries(placed.placed(T0.plusSeconds(i))));
        }

        Map<String, Long> kept = IndexEntry.fold(entries);
        assertThat(kept).hasSize(CustomerOrdersProjection.KEPT).doesNotContainKey(oldest.orderId.toString());
    }

    @Test
    void every_change_is_announced_on_the_orders_stream_at_its_version_and_on_its_customers_stream() throws Exception {
        Announcement a = OrderAnnouncements.announcement(order.moved(OrderStatus.CONFIRMED, AnOrder.OFFICE, T0), 3);

        assertThat(a.event()).isEqualTo("ShippingAddressChanged");
        assertThat(a.stream()).isEqualTo("changes:order:{" + order.orderId + "}");
        assertThat(a.position()).isEqualTo(3);
        assertThat(a.alsoOn()).containsExactly("changes:customer:{" + order.customerId + "}:orders");
        JsonNode data = new ObjectMapper().readTree(a.data());
        assertThat(data.get("orderId").asText()).isEqualTo(order.orderId.toString());
        assertThat(data.get("customerId").asText()).isEqualTo(order.customerId.toString());
        assertThat(data.get("version").asLong()).isEqualTo(3);
        assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(data.get("type").asText()).isEqualTo("ShippingAddressChanged");
    }

    @Test
    void one_event_changes_every_order_read_model_in_one_view_change() {
        ViewChange change = OrderProjector.change(order.placed(T0), 1, new OrderViewTtl(Duration.ofDays(1), Duration.ofHours(1)));

        assertThat(change.view().key()).isEqualTo("order:{" + order.orderId + "}");
        assertThat(change.indexes()).extracting(IndexEntry::key)
                .containsExactly("customer:{" + order.customerId + "}:orders");
        assertThat(change.counting().subject()).isEqualTo("order:{" + order.orderId + "}");
        assertThat(change.announcement().position()).isEqualTo(1);
        assertThat(change.unannounced().announcement()).isNull();
    }
}
