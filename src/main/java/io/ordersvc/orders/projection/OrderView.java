package io.ordersvc.orders.projection;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ordersvc.cqrs.viewstore.ViewJson;
import io.ordersvc.cqrs.viewstore.ViewWrite;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.ShippingAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The view as a read serves it: its JSON, the version it reflects, and whose order it is. */
    public record Document(long version, String json, UUID customerId) {
    }

    /** The hash fields a {@link Document} is made of, in the order of the record's components. */
    public static final List<String> DOCUMENT_FIELDS = List.of("orderId", "status", "customer", "shippingAddress", "lines",
            "total", ViewWrite.VERSION, "placedAt", "updatedAt");

    static final String STATUS = "status";
    public static final String CUSTOMER = "customer";
    static final String SHIPPING_ADDRESS = "shippingAddress";
    static final String UPDATED_AT = "updatedAt";

    /** The order's view; its keys are tagged with its id, so that they share a hash slot. */
    public static String key(UUID orderId) {
        return "order:{" + orderId + "}";
    }

    /** The order's own change stream, positioned by its version, in its view's slot. */
    public static String changesStream(UUID orderId) {
        return "changes:order:{" + orderId + "}";
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
        h.put(CUSTOMER, ViewJson.write(customer));
        h.put(SHIPPING_ADDRESS, ViewJson.write(shippingAddress));
        h.put("lines", ViewJson.write(lines));
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
                    ViewJson.read(h.get(CUSTOMER), Customer.class),
                    ViewJson.read(h.get(SHIPPING_ADDRESS), ShippingAddress.class),
                    ViewJson.read(h.get("lines"), new TypeReference<List<Line>>() { }),
                    new BigDecimal(h.get("total")),
                    Long.parseLong(h.get(ViewWrite.VERSION)),
                    Instant.parse(h.get("placedAt")),
                    Instant.parse(h.get(UPDATED_AT)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cached order view " + h.get("orderId") + " is unreadable", e);
        }
    }

    /** This view as a read serves it. */
    public Document document() {
        Map<String, String> hash = toHash();
        hash.put(ViewWrite.VERSION, Long.toString(version));
        return document(DOCUMENT_FIELDS.stream().map(hash::get).toList()).orElseThrow();
    }

    /**
     * The document the hash fields {@link #DOCUMENT_FIELDS} make, read in that order, with no parse:
     * nested parts are JSON already. Empty when the view is not there.
     */
    public static Optional<Document> document(List<String> values) {
        if (values.size() != DOCUMENT_FIELDS.size() || values.contains(null)) {
            return Optional.empty();
        }
        StringBuilder json = new StringBuilder(256 + values.get(4).length());
        json.append("{\"orderId\":").append(quoted(values.get(0)))
                .append(",\"status\":").append(quoted(values.get(1)))
                .append(",\"customer\":").append(values.get(2))
                .append(",\"shippingAddress\":").append(values.get(3))
                .append(",\"lines\":").append(values.get(4))
                .append(",\"total\":").append(values.get(5))
                .append(",\"version\":").append(values.get(6))
                .append(",\"placedAt\":").append(quoted(values.get(7)))
                .append(",\"updatedAt\":").append(quoted(values.get(8)))
                .append('}');
        return Optional.of(new Document(Long.parseLong(values.get(6)), json.toString(), customerId(values.get(2))));
    }

    /** The customer's id in the view's {@code customer} field (JSON). */
    public static UUID customerId(String customer) {
        try {
            return UUID.fromString(ViewJson.tree(customer).path("customerId").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cached order view with an unreadable customer", e);
        }
    }

    private static String quoted(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
