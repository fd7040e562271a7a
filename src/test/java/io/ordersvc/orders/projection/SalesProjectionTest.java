package io.ordersvc.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.viewstore.Counting;
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

        String stripe = stripeOf(counting);
        assertThat(counting.subject()).isEqualTo("order:{" + order.orderId + "}");
        assertThat(counting.version()).isEqualTo(1);
        assertThat(counting.moves()).containsExactlyInAnyOrder(
                new Counting.Move(stripe, "version", 1),
                new Counting.Move(stripe, "PLACED.orders", 1),
                new Counting.Move(stripe, "PLACED.revenueCents", 2450),
                new Counting.Move(stripe, "day:2026-11-23.orders", 1),
                new Counting.Move(stripe, "day:2026-11-23.revenueCents", 2450));
        assertThat(SalesProjection.dayOf("day:2026-11-23.orders")).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(SalesProjection.dayOf("PLACED.orders")).isNull();
    }

    @Test
    void an_orders_events_are_all_counted_in_one_stripe_with_its_counted_version_in_that_stripes_slot() {
        Counting placed = SalesProjection.counting(order.placed(T0), 1);
        Counting cancelled = SalesProjection.counting(order.cancelled(OrderStatus.PLACED, "late", T0), 2);

        assertThat(stripeOf(cancelled)).isEqualTo(stripeOf(placed));
        assertThat(placed.countedKey()).startsWith("counted:{" + placed.slot() + "}:");
        assertThat(stripeOf(placed)).isEqualTo("stats:{" + placed.slot() + "}");
    }

    @Test
    void orders_spread_over_every_stripe() {
        java.util.Set<String> stripes = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            stripes.add(stripeOf(SalesProjection.counting(new AnOrder().placed(T0), 1)));
        }
        assertThat(stripes).hasSize(SalesProjection.STRIPES);
    }

    private static String stripeOf(Counting counting) {
        return counting.moves().get(0).hash();
    }

    @Test
    void a_status_change_moves_the_order_and_its_revenue_from_the_status_it_left_to_the_new_one() {
        Counting counting = SalesProjection.counting(order.cancelled(OrderStatus.CONFIRMED, "late", T0), 3);

        String stripe = stripeOf(counting);
        assertThat(counting.version()).isEqualTo(3);
        assertThat(counting.moves()).containsExactlyInAnyOrder(
                new Counting.Move(stripe, "version", 1),
                new Counting.Move(stripe, "CONFIRMED.orders", -1),
                new Counting.Move(stripe, "CONFIRMED.revenueCents", -2450),
                new Counting.Move(stripe, "CANCELLED.orders", 1),
                new Counting.Move(stripe, "CANCELLED.revenueCents", 2450));
    }

    @Test
    void an_address_change_moves_no_counter_but_is_counted_so_that_the_next_version_follows() {
        Counting counting = SalesProjection.counting(order.moved(OrderStatus.PLACED, AnOrder.OFFICE, T0), 2);

        assertThat(counting.version()).isEqualTo(2);
        assertThat(counting.moves()).isEmpty();
    }
}
