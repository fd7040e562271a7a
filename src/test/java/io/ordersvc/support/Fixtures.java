package io.ordersvc.support;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;

import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates fresh customers, products and orders through the public API, so that tests share nothing. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new customer, registered by itself: its id is its token's subject. */
    public static UUID customer(String name) {
        UUID id = UUID.randomUUID();
        return UUID.fromString(asCustomer(id).contentType(ContentType.JSON)
                .body(Map.of("name", name, "email", unique("buyer") + "@example.com"))
                .post("/customers").then().statusCode(201).extract().path("customerId"));
    }

    /** A new product, added by staff. */
    public static UUID product(String name, String unitPrice) {
        return UUID.fromString(asStaff().contentType(ContentType.JSON)
                .body(Map.of("sku", unique("SKU"), "name", name, "unitPrice", new BigDecimal(unitPrice)))
                .post("/products").then().statusCode(201).extract().path("productId"));
    }

    public static Map<String, Object> address() {
        return Map.of("line1", "1 Harbour Street", "city", "Hamburg", "postalCode", "20457", "country", "DE");
    }

    public static Map<String, Object> line(UUID productId, int quantity) {
        return Map.of("productId", productId.toString(), "quantity", quantity);
    }

    public static Map<String, Object> placeOrder(UUID customerId, List<Map<String, Object>> lines) {
        return Map.of("customerId", customerId.toString(), "shippingAddress", address(), "lines", lines);
    }

    /** The customer places an order of one product; answers its id. */
    public static UUID order(UUID customerId, UUID productId, int quantity) {
        return UUID.fromString(asCustomer(customerId).contentType(ContentType.JSON)
                .body(placeOrder(customerId, List.of(line(productId, quantity))))
                .post("/orders").then().statusCode(202).extract().path("orderId"));
    }
}
