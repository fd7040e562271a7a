package io.ordersvc.orders.command;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.event.ShippingAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Command: a customer orders some products, to be shipped to an address. The client may choose
 * the order's id (an optimistic UI does, to show the order before it exists; the customer's own
 * list stream carries its changes from the first, while the order's own stream admits the customer
 * once the order is known to be its own). The customer is the one signed in: {@code customerId}
 * may be left out, and if given must be it.
 */
public record PlaceOrder(
        UUID orderId,
        UUID customerId,
        @NotNull @Valid ShippingAddress shippingAddress,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Line> lines) {

    /** This order, placed by {@code customer}; one that names another customer is refused. */
    public PlaceOrder by(UUID customer) {
        if (customerId != null && !customerId.equals(customer)) {
            throw Rejected.forbidden("customerId",
                    "an order is placed for the signed-in customer: leave customerId out, or give your own");
        }
        return new PlaceOrder(orderId, customer, shippingAddress, lines);
    }

    @Schema(name = "PlaceOrderLine")
    public record Line(@NotNull UUID productId, @NotNull @Min(1) @Max(999) Integer quantity) {
    }
}
