package io.ordersvc.orders.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.view.ViewWrite;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.ShippingAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The order details read model: denormalized, with the version of the last event it reflects. It
 * lives in Redis as a hash of these fields, nested parts as JSON; {@link #toHash} and
 * {@link #fromHash} are the one mapping between the two.
 */
public record OrderView(
        UUID orderId,
        String status,
        Customer customer,
        ShippingAddress shippingAddress,
        List<Line> lines,
        BigDecimal total,
        long version,
        Instant placedAt,
        Instant updatedAt) {

    public record Customer(UUID customerId, String name, String email) {
    }

    public record Line(UUID productId, String sku, String productName, BigDecimal unitPrice, int quantity,
            BigDecimal lineTotal) {
    }

    static final String STATUS = "status";
    static final String SHIPPING_ADDRESS = "shippingAddress";
    static final String UPDATED_AT = "updatedAt";

    /** Nested parts as JSON in the hash: plain values, so no framework configuration is needed. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public static String key(UUID orderId) {
        return "order:" + orderId;
    }

    /** The order's own change stream, positioned by its version. */
    public static String changesStream(UUID orderId) {
        return "changes:order:" + orderId;
    }

    /** The view of an order just placed. */
    static OrderView placed(OrderPlaced e, long version) {
        return new OrderView(e.orderId(), e.status().name(),
                new Customer(e.customer().customerId(), e.customer().name(), e.customer().email()),
                e.shippingAddress(),
                e.lines().stream().map(l -> new Line(l.productId(), l.sku(), l.productName(), l.unitPrice(),
                        l.quantity(), l.lineTotal())).toList(),
                e.total(), version, e.placedAt(), e.placedAt());
    }

    /** The hash fields; the version is the view store's own field. */
    Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("orderId", orderId.toString());
        h.put(STATUS, status);
        h.put("customer", json(customer));
        h.put(SHIPPING_ADDRESS, json(shippingAddress));
        h.put("lines", json(lines));
        h.put("total", total.toPlainString());
        h.put("placedAt", placedAt.toString());
        h.put(UPDATED_AT, updatedAt.toString());
        return h;
    }

    public static OrderView fromHash(Map<String, String> h) {
        try {
            return new OrderView(
                    UUID.fromString(h.get("orderId")),
                    h.get(STATUS),
                    JSON.readValue(h.get("customer"), Customer.class),
                    JSON.readValue(h.get(SHIPPING_ADDRESS), ShippingAddress.class),
                    JSON.readValue(h.get("lines"), new TypeReference<List<Line>>() { }),
                    new BigDecimal(h.get("total")),
                    Long.parseLong(h.get(ViewWrite.VERSION)),
                    Instant.parse(h.get("placedAt")),
                    Instant.parse(h.get(UPDATED_AT)));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("cached order view " + h.get("orderId") + " is unreadable", e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
