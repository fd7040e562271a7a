package io.ordersvc.orders.command;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.event.OrderPlaced;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/** Deciding to place an order: pure, given what the customer and the catalog are now. */
public final class OrderPlacement {

    /** The customer as the order records it. */
    public record Customer(UUID id, String name, String email) {
    }

    /** A catalog entry as an order line takes it. */
    public record Product(UUID id, String sku, String name, BigDecimal unitPrice, boolean discontinued) {
    }

    private OrderPlacement() {
    }

    public static OrderPlaced decide(PlaceOrder command, Optional<Customer> customer, Map<UUID, Product> products,
            UUID orderId, Instant now) {
        Customer buyer = customer.orElseThrow(() -> Rejected.unprocessable("customerId",
                "no customer " + command.customerId()));
        rejectRepeatedProducts(command.lines());
        List<OrderPlaced.Line> lines = IntStream.range(0, command.lines().size())
                .mapToObj(i -> line(i, command.lines().get(i), products))
                .toList();
        BigDecimal total = lines.stream().map(OrderPlaced.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
        return new OrderPlaced(orderId, new OrderPlaced.Customer(buyer.id(), buyer.name(), buyer.email()),
                command.shippingAddress(), lines, total, now);
    }

    private static OrderPlaced.Line line(int index, PlaceOrder.Line requested, Map<UUID, Product> products) {
        String field = "lines[" + index + "].productId";
        Product product = products.get(requested.productId());
        if (product == null) {
            throw Rejected.unprocessable(field, "no product " + requested.productId());
        }
        if (product.discontinued()) {
            throw Rejected.unprocessable(field, "product " + product.sku() + " is discontinued");
        }
        BigDecimal price = product.unitPrice().setScale(2, RoundingMode.UNNECESSARY);
        return new OrderPlaced.Line(product.id(), product.sku(), product.name(), price, requested.quantity(),
                price.multiply(BigDecimal.valueOf(requested.quantity())));
    }

    private static void rejectRepeatedProducts(List<PlaceOrder.Line> lines) {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!seen.add(lines.get(i).productId())) {
                throw Rejected.unprocessable("lines[" + i + "].productId",
                        "product " + lines.get(i).productId() + " is on an earlier line; raise its quantity instead");
            }
        }
    }
}
