package io.ordersvc.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ordersvc.cqrs.viewstore.ViewWrite;
import io.ordersvc.orders.AnOrder;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order view, projected: given events, expect the writes and the view they fold into. */
class OrderViewProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-23T11:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration OPEN = Duration.ofDays(1);
    private static final Duration FINISHED = Duration.ofHours(1);
    private static final OrderViewTtl TTL = new OrderViewTtl(OPEN, FINISHED);

    private final AnOrder order = new AnOrder();

    @Test
    void an_order_placed_writes_the_whole_view_at_version_1_expiring_as_an_open_orders_does() {
        ViewWrite write = OrderViewProjection.write(order.placed(T0), 1, TTL);

        assertThat(write.key()).isEqualTo("order:{" + order.orderId + "}");
        assertThat(write.replace()).isTrue();
        assertThat(write.version()).isEqualTo(1);
        assertThat(write.ttl()).isEqualTo(OPEN);
        OrderView view = OrderView.fromHash(write.applyTo(Map.of()));
        assertThat(view.status()).isEqualTo("PLACED");
        assertThat(view.customer().customerId()).isEqualTo(order.customerId);
        assertThat(view.customer().name()).isEqualTo("Ada Lovelace");
        assertThat(view.shippingAddress()).isEqualTo(AnOrder.HOME);
        assertThat(view.lines()).extracting(OrderView.Line::sku).containsExactly("TEA", "POT");
        assertThat(view.total()).isEqualByComparingTo(AnOrder.TOTAL);
        assertThat(view.placedAt()).isEqualTo(T0);
        assertThat(view.updatedAt()).isEqualTo(T0);
    }

    @Test
    void a_later_event_patches_only_the_fields_it_changes() {
        ViewWrite confirmed = OrderViewProjection.write(order.confirmed(T1), 2, TTL);
        assertThat(confirmed.replace()).isFalse();
        assertThat(confirmed.fields()).containsOnlyKeys("status", "updatedAt").containsEntry("status", "CONFIRMED");

        ViewWrite moved = OrderViewProjection.write(order.moved(OrderStatus.CONFIRMED, AnOrder.OFFICE, T1), 3, TTL);
        assertThat(moved.fields()).containsOnlyKeys("shippingAddress", "updatedAt");
    }

    @Test
    void views_of_shipped_or_cancelled_orders_expire_sooner_than_those_of_open_ones() {
        assertThat(OrderViewProjection.write(order.shipped(T2), 3, TTL).ttl()).isEqualTo(FINISHED);
        assertThat(OrderViewProjection.write(order.cancelled(OrderStatus.PLACED, "r", T2), 2, TTL).ttl()).isEqualTo(FINISHED);
        assertThat(OrderViewProjection.write(order.confirmed(T2), 2, TTL).ttl()).isEqualTo(OPEN);
        assertThat(OrderViewProjection.write(order.confirmed(T2), 2, OrderViewTtl.NONE).ttl()).isZero();
    }

    @Test
    void the_events_of_an_order_fold_into_the_view_the_writes_leave_in_place() {
        List<OrderEvent> history = List.of(order.placed(T0), order.moved(OrderStatus.PLACED, AnOrder.OFFICE, T1),
                order.confirmed(T1), order.shipped(T2));

        OrderView view = OrderViewProjection.fold(history).orElseThrow();

        assertThat(view.version()).isEqualTo(4);
        assertThat(view.status()).isEqualTo("SHIPPED");
        assertThat(view.shippingAddress()).isEqualTo(AnOrder.OFFICE);
        assertThat(view.placedAt()).isEqualTo(T0);
        assertThat(view.updatedAt()).isEqualTo(T2);
    }

    @Test
    void a_view_put_back_after_a_miss_is_the_same_write_as_the_projected_one() {
        List<OrderEvent> history = List.of(order.placed(T0), order.cancelled(OrderStatus.PLACED, "r", T1));
        OrderView view = OrderViewProjection.fold(history).orElseThrow();

        ViewWrite snapshot = OrderViewProjection.snapshot(view, TTL);

        assertThat(OrderView.fromHash(snapshot.applyTo(Map.of()))).isEqualTo(view);
        assertThat(snapshot.ttl()).isEqualTo(FINISHED);
    }

    @Test
    void the_document_a_read_serves_is_the_views_json_made_without_parsing_the_hash() throws Exception {
        OrderView view = OrderViewProjection.fold(List.of(order.placed(T0), order.confirmed(T1))).orElseThrow();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

        OrderView.Document document = view.document();

        assertThat(document.version()).isEqualTo(2);
        assertThat(json.readTree(document.json())).isEqualTo(json.readTree(json.writeValueAsString(view)));
        Map<String, String> hash = OrderViewProjection.write(order.placed(T0), 1, TTL).applyTo(Map.of());
        assertThat(OrderView.document(OrderView.DOCUMENT_FIELDS.stream().map(hash::get).toList()).orElseThrow().json())
                .isEqualTo(OrderView.fromHash(hash).document().json());
        assertThat(OrderView.document(OrderView.DOCUMENT_FIELDS.stream().map(f -> (String) null).toList())).isEmpty();
    }

    @Test
    void an_order_whose_history_lacks_its_placing_has_no_view() {
        assertThat(OrderViewProjection.fold(List.of(order.confirmed(T1)))).isEmpty();
        assertThat(OrderViewProjection.fold(List.of())).isEmpty();
    }
}
