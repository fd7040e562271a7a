package io.ordersvc.orders.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.AnOrder;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order lifecycle as given / when / then, with no framework at all. */
class OrderDeciderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-23T11:00:00Z");
    private static final ShippingAddress HOME = AnOrder.HOME;
    private static final ShippingAddress OFFICE = AnOrder.OFFICE;

    private final AnOrder order = new AnOrder();

    private static final OrderCommand CONFIRM = new OrderCommand.ConfirmOrder();
    private static final OrderCommand SHIP = new OrderCommand.ShipOrder();
    private static final OrderCommand CANCEL = new OrderCommand.CancelOrder("changed my mind");
    private static final OrderCommand MOVE = new OrderCommand.ChangeShippingAddress(OFFICE);

    /** Which commands each status allows; every other pair is refused. */
    private static final Map<OrderStatus, Set<OrderCommand>> ALLOWED = Map.of(
            OrderStatus.PLACED, Set.of(CONFIRM, CANCEL, MOVE),
            OrderStatus.CONFIRMED, Set.of(SHIP, CANCEL, MOVE),
            OrderStatus.SHIPPED, Set.of(),
            OrderStatus.CANCELLED, Set.of());

    @Test
    void confirming_a_placed_order_confirms_it() {
        OrderState placed = given(placed());
        assertThat(OrderDecider.decide(CONFIRM, placed, NOW)).containsExactly(order.confirmed(NOW));
    }

    @Test
    void shipping_a_confirmed_order_ships_it() {
        OrderState confirmed = given(placed(), order.confirmed(T0));
        assertThat(OrderDecider.decide(SHIP, confirmed, NOW)).containsExactly(order.shipped(NOW));
    }

    @Test
    void cancelling_records_the_reason() {
        OrderState confirmed = given(placed(), order.confirmed(T0));
        assertThat(OrderDecider.decide(new OrderCommand.CancelOrder("  too late  "), confirmed, NOW))
                .containsExactly(order.cancelled(OrderStatus.CONFIRMED, "too late", NOW));
    }

    @Test
    void every_later_event_carries_the_customer_the_status_left_and_the_total() {
        OrderState placed = given(placed());
        assertThat(OrderDecider.decide(MOVE, placed, NOW)).containsExactly(order.moved(OrderStatus.PLACED, OFFICE, NOW));
        assertThat(OrderDecider.decide(CANCEL, placed, NOW))
                .containsExactly(order.cancelled(OrderStatus.PLACED, "changed my mind", NOW));
    }

    @Test
    void changing_the_address_to_the_same_one_changes_nothing() {
        assertThat(OrderDecider.decide(new OrderCommand.ChangeShippingAddress(HOME), given(placed()), NOW)).isEmpty();
    }

    @Test
    void every_transition_is_allowed_or_refused_as_the_lifecycle_says() {
        Map<OrderStatus, OrderState> states = Map.of(
                OrderStatus.PLACED, given(placed()),
                OrderStatus.CONFIRMED, given(placed(), order.confirmed(T0)),
                OrderStatus.SHIPPED, given(placed(), order.confirmed(T0), order.shipped(T0)),
                OrderStatus.CANCELLED, given(placed(), order.cancelled(OrderStatus.PLACED, "r", T0)));
        for (OrderStatus status : EnumSet.allOf(OrderStatus.class)) {
            for (OrderCommand command : List.of(CONFIRM, SHIP, CANCEL, MOVE)) {
                OrderState state = states.get(status);
                if (ALLOWED.get(status).contains(command)) {
                    assertThat(OrderDecider.decide(command, state, NOW)).as(command + " on " + status).hasSize(1);
                } else {
                    assertThatThrownBy(() -> OrderDecider.decide(command, state, NOW)).as(command + " on " + status)
                            .isInstanceOfSatisfying(Rejected.class, r -> {
                                assertThat(r.kind()).isEqualTo(Rejected.Kind.CONFLICT);
                                assertThat(r.details()).containsEntry("currentStatus", status.name());
                            });
                }
            }
        }
    }

    @Test
    void deciding_never_changes_the_state_it_was_given() {
        OrderState placed = given(placed());
        OrderState copy = new OrderState(placed.id(), placed.customerId(), placed.status(), placed.shippingAddress(),
                List.copyOf(placed.lines()), placed.total(), placed.version(), placed.placedAt(), placed.updatedAt());
        OrderDecider.decide(CONFIRM, placed, NOW);
        assertThat(placed).isEqualTo(copy);
    }

    @Test
    void folding_counts_versions_and_keeps_the_last_address_and_status() {
        OrderState state = given(placed(), order.moved(OrderStatus.PLACED, OFFICE, T0), order.confirmed(NOW));
        assertThat(state.version()).isEqualTo(3);
        assertThat(state.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(state.shippingAddress()).isEqualTo(OFFICE);
        assertThat(state.updatedAt()).isEqualTo(NOW);
        assertThat(state.placedAt()).isEqualTo(T0);
    }

    private OrderPlaced placed() {
        return order.placed(T0);
    }

    private static OrderState given(OrderEvent... history) {
        return OrderDecider.fold(new ArrayList<>(List.of(history)));
    }
}
