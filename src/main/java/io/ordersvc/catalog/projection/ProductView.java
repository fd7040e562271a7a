package io.ordersvc.catalog.projection;

import io.ordersvc.cqrs.viewstore.ViewWrite;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The catalog read model: one product as shoppers see it, with the version it reflects. It lives
 * in Redis as a hash of these fields; {@link #toHash} and {@link #fromHash} are the one mapping.
 */
public record ProductView(UUID productId, String sku, String name, BigDecimal unitPrice, boolean discontinued,
        long version) {

    /** Every product, ordered by sku (members {@code sku:id}, all scored 0, read by lexical range). */
    public static final String INDEX = "products:{catalog}";
    /** The catalog's change stream: every product's changes, in the index's slot. */
    public static final String CHANGES = "changes:products:{catalog}";

    static final String UNIT_PRICE = "unitPrice";
    static final String DISCONTINUED = "discontinued";
    static final String STATUS = "status";

    /** The product's view; its keys are tagged with its id, so that they share a hash slot. */
    public static String key(UUID productId) {
        return "product:{" + productId + "}";
    }

    /** One product's own change stream, positioned by its version, in its view's slot. */
    public static String changesStream(UUID productId) {
        return "changes:product:{" + productId + "}";
    }

    public static String status(boolean discontinued) {
        return discontinued ? "DISCONTINUED" : "ACTIVE";
    }

    public static String indexMember(String sku, UUID productId) {
        return sku + ":" + productId;
    }

    Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("productId", productId.toString());
        h.put("sku", sku);
        h.put("name", name);
        h.put(UNIT_PRICE, unitPrice.toPlainString());
        h.put(DISCONTINUED, Boolean.toString(discontinued));
        h.put(STATUS, status(discontinued));
        return h;
    }

    public static ProductView fromHash(Map<String, String> h) {
        return new ProductView(UUID.fromString(h.get("productId")), h.get("sku"), h.get("name"),
                new BigDecimal(h.get(UNIT_PRICE)), Boolean.parseBoolean(h.get(DISCONTINUED)),
                Long.parseLong(h.get(ViewWrite.VERSION)));
    }
}
