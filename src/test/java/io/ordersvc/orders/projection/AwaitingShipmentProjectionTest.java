package io.ordersvc.orders.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.orders.AnOrder;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Staff's queue of orders awaiting shipment, projected: a read model whose entries come and go, each
 * move guarded by the order's version.
 */
class AwaitingShipmentProjectionTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    private final AnOrder order = new AnOrder();

    @Test
    void an_order_enters_the_queue_when_confirmed_scored_by_when_it_was_confirmed() {
        assertThat(queueAfter(order.placed(T0), order.confirmed(T0.plusSeconds(60))))
                .containsExactly(List.of(order.orderId.toString(), T0.plusSeconds(60).toEpochMilli()));
    }

    @Test
    void an_order_leaves_the_queue_when_shipped_or_cancelled() {
        assertThat(queueAfter(order.placed(T0), order.confirmed(T0), order.shipped(T0))).isEmpty();
        AnOrder other = new AnOrder();
        assertThat(queueAfter(other.placed(T0), other.confirmed(T0), other.cancelled(OrderStatus.CONFIRMED, "late", T0))).isEmpty();
    }

    @Test
    void an_order_cancelled_before_it_was_confirmed_never_touches_the_queue() {
        assertThat(AwaitingShipmentProjection.entries(order.cancelled(OrderStatus.PLACED, "changed my mind", T0), 2)).isEmpty();
        assertThat(AwaitingShipmentProjection.entries(order.placed(T0), 1)).isEmpty();
        assertThat(AwaitingShipmentProjection.entries(order.moved(OrderStatus.CONFIRMED, AnOrder.OFFICE, T0), 3)).isEmpty();
    }

    @Test
    void a_confirmation_replayed_after_the_order_was_shipped_does_not_put_it_back() {
        List<IndexEntry> entries = new ArrayList<>();
        entries.addAll(AwaitingShipmentProjection.entries(order.confirmed(T0), 2));
        entries.addAll(AwaitingShipmentProjection.entries(order.shipped(T0), 3));
        // the confirmation again: redelivered, or re-driven from the dead-letter topic
        entries.addAll(AwaitingShipmentProjection.entries(order.confirmed(T0), 2));

        assertThat(IndexEntry.fold(entries)).isEmpty();
    }

    @Test
    void a_shipment_that_arrives_before_the_confirmation_keeps_the_order_out() {
        List<IndexEntry> entries = new ArrayList<>();
        entries.addAll(AwaitingShipmentProjection.entries(order.shipped(T0), 3));
        entries.addAll(AwaitingShipmentProjection.entries(order.confirmed(T0), 2));

        assertThat(IndexEntry.fold(entries)).isEmpty();
    }

    @Test
    void the_queues_followers_are_told_of_each_order_that_enters_or_leaves_it_and_of_nothing_else() {
        AnOrder cancelledEarly = new AnOrder();

        assertThat(announcedOnTheQueue(order.confirmed(T0), 2)).isTrue();
        assertThat(announcedOnTheQueue(order.shipped(T0), 3)).isTrue();
        assertThat(announcedOnTheQueue(cancelledEarly.cancelled(OrderStatus.CONFIRMED, "late", T0), 3)).isTrue();
        assertThat(announcedOnTheQueue(order.placed(T0), 1)).isFalse();
        assertThat(announcedOnTheQueue(order.moved(OrderStatus.CONFIRMED, AnOrder.OFFICE, T0), 3)).isFalse();
        assertThat(announcedOnTheQueue(cancelledEarly.cancelled(OrderStatus.PLACED, "changed my mind", T0), 2)).isFalse();
    }

    @Test
    void what_the_queues_followers_are_told_is_what_the_orders_own_followers_are_told() {
        Announcement a = OrderAnnouncements.announcement(order.confirmed(T0), 2);

        assertThat(a.alsoOn()).containsExactly("changes:customer:{" + order.customerId + "}:orders",
                "changes:orders:awaiting-shipment:{shipping}");
        assertThat(a.event()).isEqualTo("OrderConfirmed");
        assertThat(a.stream()).isEqualTo("changes:order:{" + order.orderId + "}");
        assertThat(a.position()).isEqualTo(2);
    }

    private static boolean announcedOnTheQueue(OrderEvent event, long version) {
        return OrderAnnouncements.announcement(event, version).alsoOn().contains(AwaitingShipmentProjection.CHANGES);
    }

    /** The queue's members and scores after the events, at versions 1, 2, … */
    private static List<List<Object>> queueAfter(OrderEvent... events) {
        List<IndexEntry> entries = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            entries.addAll(AwaitingShipmentProjection.entries(events[i], i + 1));
        }
        return IndexEntry.fold(entries).entrySet().stream().map(e -> List.<Object>of(e.getKey(), e.getValue())).toList();
    }
}
