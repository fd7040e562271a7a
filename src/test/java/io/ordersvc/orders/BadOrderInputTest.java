package io.ordersvc.orders;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Fixtures.address;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.ordersvc.support.WriteModel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets a clear problem+json naming the field, and writes no row and no event. Orders are
 * sent by the signed-in customer ({@code %C} in a template); {@code %S} is a stranger: signed in with
 * a customer's token but never registered.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadOrderInputTest {

    @Inject
    Pool primary;

    UUID customer;
    UUID product;

    @BeforeEach
    void someoneToOrderSomething() {
        customer = customer("Hedy Lamarr");
        product = product("Frequency hopper", "99.90");
    }

    Stream<Arguments> badOrders() {
        return Stream.of(
                Arguments.of("an unknown customer", 422, "customerId",
                        body("\"%S\"", address(), "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("another customer than the signed-in one", 403, "customerId",
                        body("\"" + UUID.randomUUID() + "\"", address(), "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("an unknown product", 422, "lines[0].productId",
                        body("\"%C\"", address(), "[{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}]")),
                Arguments.of("no lines", 400, "lines", body("\"%C\"", address(), "[]")),
                Arguments.of("a quantity of zero", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":0}]")),
                Arguments.of("a negative quantity", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":-3}]")),
                Arguments.of("a quantity over 999", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":1000}]")),
                Arguments.of("malformed JSON", 400, "body", "{\"customerId\": \"%C\", \"lines\": [ {"),
                Arguments.of("a quantity that is text", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":\"two\"}]")),
                Arguments.of("a quantity that is a string of digits", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":\"2\"}]")),
                Arguments.of("a customer id that is not a UUID", 400, "customerId",
                        body("\"not-a-uuid\"", address(), "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("lines that are not a list", 400, "lines", body("\"%C\"", address(), "\"many\"")),
                Arguments.of("a missing shipping address", 400, "shippingAddress",
                        "{\"customerId\":\"%C\",\"lines\":[{\"productId\":\"%P\",\"quantity\":1}]}"),
                Arguments.of("a missing city", 400, "shippingAddress.city",
                        body("\"%C\"", Map.of("line1", "1 Main St", "postalCode", "1000", "country", "BE"),
                                "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("an unknown property", 400, "status",
                        "{\"customerId\":\"%C\",\"status\":\"SHIPPED\",\"shippingAddress\":" + json(address())
                                + ",\"lines\":[{\"productId\":\"%P\",\"quantity\":1}]}"),
                Arguments.of("the same product on two lines", 422, "lines[1].productId",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":1},{\"productId\":\"%P\",\"quantity\":2}]")),
                Arguments.of("a NUL in the city", 400, "shippingAddress.city",
                        body("\"%C\"", Map.of("line1", "1 Main St", "city", "Ham\\u0000burg", "postalCode", "1000", "country", "BE"),
                                "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("a line break in the first address line", 400, "shippingAddress.line1",
                        body("\"%C\"", Map.of("line1", "1 Main St\\nDROP", "city", "Ghent", "postalCode", "9000", "country", "BE"),
                                "[{\"productId\":\"%P\",\"quantity\":1}]")),
                Arguments.of("a quantity that is a fraction", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":1.5}]")),
                Arguments.of("a quantity of 2^63", 400, "lines[0].quantity",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":9223372036854775808}]")),
                Arguments.of("a country that is a number", 400, "shippingAddress.country",
                        "{\"customerId\":\"%C\",\"shippingAddress\":{\"line1\":\"1 Main St\",\"city\":\"Ghent\",\"postalCode\":\"9000\","
                                + "\"country\":49},\"lines\":[{\"productId\":\"%P\",\"quantity\":1}]}"),
                Arguments.of("an empty order id", 400, "orderId",
                        "{\"orderId\":\"\",\"customerId\":\"%C\",\"shippingAddress\":" + json(address())
                                + ",\"lines\":[{\"productId\":\"%P\",\"quantity\":1}]}"),
                Arguments.of("a second order after the first", 400, "body",
                        body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":1}]")
                                + body("\"%C\"", address(), "[{\"productId\":\"%P\",\"quantity\":2}]")));
    }

    @ParameterizedTest(name = "{0} is refused with {1} naming {2}, and nothing is written")
    @MethodSource("badOrders")
    void a_refused_order_names_the_field_and_writes_nothing(String what, int status, String field, String template) {
        Map<String, Long> before = WriteModel.counts(primary);

        UUID stranger = UUID.randomUUID();
        UUID caller = template.contains("%S") ? stranger : customer;
        asCustomer(caller).contentType(ContentType.JSON)
                .body(template.replace("%C", customer.toString()).replace("%S", stranger.toString())
                        .replace("%P", product.toString()))
                .post("/orders").then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("errors.field", hasItem(field));

        assertThat(WriteModel.counts(primary)).isEqualTo(before);
    }

    private static String body(String customerJson, Map<String, Object> address, String linesJson) {
        return "{\"customerId\":" + customerJson + ",\"shippingAddress\":" + json(address) + ",\"lines\":" + linesJson + "}";
    }

    private static String json(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        return sb.append('}').toString();
    }
}
