package io.ordersvc.orders.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.ordersvc.orders.event.ShippingAddressChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order lifecycle as given / when / then, with no framework at all. */
class OrderDeciderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-23T11:00:00Z");
    private static final ShippingAddress HOME = new ShippingAddress("1 Main St", "Leeds", "LS1", "GB");
    private static final ShippingAddress OFFICE = new ShippingAddress("9 Dock Rd", "Hull", "HU1", "GB");

    private final UUID orderId = UUID.randomUUID();

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
        assertThat(OrderDecider.decide(CONFIRM, placed, NOW)).containsExactly(new OrderConfirmed(orderId, NOW));
    }

    @Test
    void shipping_a_confirmed_order_ships_it() {
        OrderState confirmed = given(placed(), new OrderConfirmed(orderId, T0));
        assertThat(OrderDecider.decide(SHIP, confirmed, NOW)).containsExactly(new OrderShipped(orderId, NOW));
    }

    @Test
    void cancelling_records_the_reason() {
        OrderState confirmed = given(placed(), new OrderConfirmed(orderId, T0));
        assertThat(OrderDecider.decide(new OrderCommand.CancelOrder("  too late  "), confirmed, NOW))
                .containsExactly(new OrderCancelled(orderId, "too late", NOW));
    }

    @Test
    void changing_the_address_to_the_same_one_changes_nothing() {
        assertThat(OrderDecider.decide(new OrderCommand.ChangeShippingAddress(HOME), given(placed()), NOW)).isEmpty();
    }

    @Test
    void every_transition_is_allowed_or_refused_as_the_lifecycle_says() {
        Map<OrderStatus, OrderState> states = Map.of(
                OrderStatus.PLACED, given(placed()),
                OrderStatus.CONFIRMED, given(placed(), new OrderConfirmed(orderId, T0)),
                OrderStatus.SHIPPED, given(placed(), new OrderConfirmed(orderId, T0), new OrderShipped(orderId, T0)),
                OrderStatus.CANCELLED, given(placed(), new OrderCancelled(orderId, "r", T0)));
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
        OrderState state = given(placed(), new ShippingAddressChanged(orderId, OFFICE, T0), new OrderConfirmed(orderId, NOW));
        assertThat(state.version()).isEqualTo(3);
        assertThat(state.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(state.shippingAddress()).isEqualTo(OFFICE);
        assertThat(state.updatedAt()).isEqualTo(NOW);
        assertThat(state.placedAt()).isEqualTo(T0);
    }

    private OrderPlaced placed() {
        return new OrderPlaced(orderId, new OrderPlaced.Customer(UUID.randomUUID(), "Ada", "ada@example.com"), HOME,
                List.of(new OrderPlaced.Line(UUID.randomUUID(), "TEA", "Tea", new BigDecimal("2.00"), 2, new BigDecimal("4.00"))),
                new BigDecimal("4.00"), T0);
    }

    private static OrderState given(OrderEvent... history) {
        return OrderDecider.fold(new ArrayList<>(List.of(history)));
    }
}
