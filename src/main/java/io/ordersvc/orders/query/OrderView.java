package io.ordersvc.orders.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.orders.event.ShippingAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The order details read model: denormalized, with the version of the last event it reflects. */
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

    public static String key(UUID orderId) {
        return "order:" + orderId;
    }

    /** The sorted set of a customer's orders, scored by the time they were placed. */
    public static String customerOrdersKey(UUID customerId) {
        return "customer:" + customerId + ":orders";
    }

    /** Sales by status: fields {@code <STATUS>.orders} and {@code <STATUS>.revenueCents}, and {@code version}. */
    public static final String STATS_BY_STATUS = "stats:status";
    /** The days that have sales, scored by epoch day. */
    public static final String STATS_DAYS = "stats:days";

    /** Sales placed on one day: fields {@code orders} and {@code revenueCents}. */
    public static String statsDayKey(String day) {
        return "stats:day:" + day;
    }

    /** The order's own change stream, positioned by its version. */
    public static String changesChannel(UUID orderId) {
        return "changes:order:" + orderId;
    }

    /** The change stream of a customer's orders; {@code customerId} may be a view-field template. */
    public static String customerChangesStream(String customerId) {
        return "changes:customer:" + customerId + ":orders";
    }

    /** The hash fields; nested parts are JSON. The version field is the view store's own. */
    public Map<String, String> toHash(ObjectMapper json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("orderId", orderId.toString());
        h.put("status", status);
        // for the announcements of later changes, which name the customer's change stream
        h.put("customerId", customer.customerId().toString());
        h.put("customer", write(json, customer));
        h.put("shippingAddress", write(json, shippingAddress));
        h.put("lines", write(json, lines));
        h.put("total", total.toPlainString());
        // for the sales counters, which add whole cents
        h.put("totalCents", total.movePointRight(2).setScale(0, java.math.RoundingMode.UNNECESSARY).toPlainString());
        h.put("placedAt", placedAt.toString());
        h.put("updatedAt", updatedAt.toString());
        return h;
    }

    public static OrderView fromHash(Map<String, String> h, ObjectMapper json) {
        try {
            return new OrderView(
                    UUID.fromString(h.get("orderId")),
                    h.get("status"),
                    json.readValue(h.get("customer"), Customer.class),
                    json.readValue(h.get("shippingAddress"), ShippingAddress.class),
                    json.readValue(h.get("lines"), new TypeReference<List<Line>>() { }),
                    new BigDecimal(h.get("total")),
                    Long.parseLong(h.get("version")),
                    Instant.parse(h.get("placedAt")),
                    Instant.parse(h.get("updatedAt")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("cached order view " + h.get("orderId") + " is unreadable", e);
        }
    }

    /** A nested part of the view as its hash field holds it. */
    public static String json(ObjectMapper json, Object value) {
        return write(json, value);
    }

    private static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
