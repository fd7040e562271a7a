package io.ordersvc.orders.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.ShippingAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Placing an order, given the customer and the catalog: plain JUnit, no Quarkus. */
class OrderPlacementTest {

    private final UUID orderId = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-11-23T10:15:30Z");
    private final OrderPlacement.Customer ada = new OrderPlacement.Customer(UUID.randomUUID(), "Ada", "ada@example.com");
    private final OrderPlacement.Product tea = product("TEA-1", "Tea", "12.40", false);
    private final OrderPlacement.Product cup = product("CUP-1", "Cup", "7.99", false);
    private final ShippingAddress address = new ShippingAddress("1 Main St", "Leeds", "LS1", "GB");

    @Test
    void prices_come_from_the_catalog_and_the_total_adds_up_exactly() {
        OrderPlaced placed = OrderPlacement.decide(order(line(tea, 2), line(cup, 3)), Optional.of(ada),
                Map.of(tea.id(), tea, cup.id(), cup), orderId, now);

        assertThat(placed.lines()).extracting(OrderPlaced.Line::lineTotal)
                .containsExactly(new BigDecimal("24.80"), new BigDecimal("23.97"));
        assertThat(placed.total()).isEqualTo(new BigDecimal("48.77"));
        assertThat(placed.customer().name()).isEqualTo("Ada");
        assertThat(placed.placedAt()).isEqualTo(now);
    }

    @Test
    void an_unknown_customer_is_refused() {
        assertThatThrownBy(() -> OrderPlacement.decide(order(line(tea, 1)), Optional.empty(), Map.of(tea.id(), tea), orderId, now))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("customerId"));
    }

    @Test
    void an_unknown_product_is_refused_naming_its_line() {
        assertThatThrownBy(() -> OrderPlacement.decide(order(line(tea, 1), line(cup, 1)), Optional.of(ada),
                Map.of(tea.id(), tea), orderId, now))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("lines[1].productId"));
    }

    @Test
    void a_discontinued_product_cannot_be_ordered() {
        OrderPlacement.Product old = product("OLD-1", "Old", "1.00", true);
        assertThatThrownBy(() -> OrderPlacement.decide(order(line(old, 1)), Optional.of(ada), Map.of(old.id(), old), orderId, now))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.getMessage()).contains("discontinued"));
    }

    @Test
    void the_same_product_on_two_lines_is_refused() {
        assertThatThrownBy(() -> OrderPlacement.decide(order(line(tea, 1), line(tea, 2)), Optional.of(ada),
                Map.of(tea.id(), tea), orderId, now))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("lines[1].productId"));
    }

    private PlaceOrder order(PlaceOrder.Line... lines) {
        return new PlaceOrder(null, ada.id(), address, List.of(lines));
    }

    private static PlaceOrder.Line line(OrderPlacement.Product p, int quantity) {
        return new PlaceOrder.Line(p.id(), quantity);
    }

    private static OrderPlacement.Product product(String sku, String name, String price, boolean discontinued) {
        return new OrderPlacement.Product(UUID.randomUUID(), sku, name, new BigDecimal(price), discontinued);
    }
}
