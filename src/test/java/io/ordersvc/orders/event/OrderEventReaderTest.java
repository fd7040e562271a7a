package io.ordersvc.orders.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.orders.AnOrder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events stored before they carried what their readers need are completed from the order's earlier ones. */
class OrderEventReaderTest {

    private static final Instant T0 = Instant.parse("2025-01-30T09:00:00Z");
    private static final Instant T1 = Instant.parse("2025-01-31T09:00:00Z");

    private final AnOrder order = new AnOrder();

    @Test
    void old_events_take_the_customer_the_status_left_and_the_total_from_the_events_before_them() {
        List<OrderEvent> stored = List.of(order.placed(T0),
                new ShippingAddressChanged(order.orderId, null, null, AnOrder.OFFICE, T0),
                new OrderConfirmed(order.orderId, null, null, null, T1),
                new OrderCancelled(order.orderId, null, null, null, "no reason recorded", T1));

        assertThat(OrderEventReader.completed(stored)).containsExactly(order.placed(T0),
                order.moved(OrderStatus.PLACED, AnOrder.OFFICE, T0), order.confirmed(T1),
                order.cancelled(OrderStatus.CONFIRMED, "no reason recorded", T1));
    }

    @Test
    void events_that_carry_everything_are_left_as_they_are() {
        List<OrderEvent> current = List.of(order.placed(T0), order.confirmed(T1), order.shipped(T1));
        assertThat(OrderEventReader.completed(current)).isEqualTo(current);
    }
}
