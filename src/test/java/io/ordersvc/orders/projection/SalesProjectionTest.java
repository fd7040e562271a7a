package io.ordersvc.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.view.Counting;
import io.ordersvc.cqrs.view.IndexEntry;
import io.ordersvc.orders.AnOrder;
import io.ordersvc.orders.event.OrderStatus;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The sales dashboard, projected: each event moves the counters by what it carries. */
class SalesProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-23T23:30:00Z");

    private final AnOrder order = new AnOrder();

    @Test
    void an_order_placed_counts_one_order_and_its_revenue_under_placed_and_under_its_day() {
        Counting counting = SalesProjection.counting(order.placed(T0), 1);

        assertThat(counting.subject()).isEqualTo("order:" + order.orderId);
        assertThat(counting.version()).isEqualTo(1);
        assertThat(counting.moves()).containsExactlyInAnyOrder(
                new Counting.Move("stats:status", "version", 1),
                new Counting.Move("stats:status", "PLACED.orders", 1),
                new Counting.Move("stats:status", "PLACED.revenueCents", 2450),
                new Counting.Move("stats:day:2026-11-23", "orders", 1),
                new Counting.Move("stats:day:2026-11-23", "revenueCents", 2450));
        assertThat(SalesProjection.entries(order.placed(T0)))
                .containsExactly(new IndexEntry("stats:days", LocalDate.parse("2026-11-23").toEpochDay(), "2026-11-23"));
    }

    @Test
    void a_status_change_moves_the_order_and_its_revenue_from_the_status_it_left_to_the_new_one() {
        Counting counting = SalesProjection.counting(order.cancelled(OrderStatus.CONFIRMED, "late", T0), 3);

        assertThat(counting.version()).isEqualTo(3);
        assertThat(counting.moves()).containsExactlyInAnyOrder(
                new Counting.Move("stats:status", "version", 1),
                new Counting.Move("stats:status", "CONFIRMED.orders", -1),
                new Counting.Move("stats:status", "CONFIRMED.revenueCents", -2450),
                new Counting.Move("stats:status", "CANCELLED.orders", 1),
                new Counting.Move("stats:status", "CANCELLED.revenueCents", 2450));
        assertThat(SalesProjection.entries(order.cancelled(OrderStatus.CONFIRMED, "late", T0))).isEmpty();
    }

    @Test
    void an_address_change_moves_no_counter_but_is_counted_so_that_the_next_version_follows() {
        Counting counting = SalesProjection.counting(order.moved(OrderStatus.PLACED, AnOrder.OFFICE, T0), 2);

        assertThat(counting.version()).isEqualTo(2);
        assertThat(counting.moves()).isEmpty();
    }
}
