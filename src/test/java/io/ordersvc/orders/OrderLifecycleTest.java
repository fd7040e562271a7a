package io.ordersvc.orders;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An order's life: its customer places it, changes its address and may cancel it; staff confirm and ship it. */
@QuarkusTest
class OrderLifecycleTest {

    private UUID buyer;

    @BeforeEach
    void aCustomer() {
        buyer = customer("Barbara Liskov");
    }

    private UUID newOrder() {
        return Fixtures.order(buyer, product("Substitution guide", "19.90"), 1);
    }

    @Test
    void a_placed_order_is_confirmed_then_shipped_and_its_view_and_history_follow() {
        UUID id = newOrder();
        asStaff().header("If-Match", "\"1\"").post("/orders/" + id + "/confirm").then()
                .statusCode(202).header("ETag", "\"2\"").body("version", equalTo(2));
        asStaff().header("If-Match", "\"2\"").post("/orders/" + id + "/ship").then()
                .statusCode(202).header("ETag", "\"3\"").body("version", equalTo(3));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(buyer).get("/orders/" + id).then()
                .statusCode(200).header("ETag", "\"3\"").body("status", equalTo("SHIPPED")));
        List<Map<String, Object>> history = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(buyer).get("/orders/" + id + "/history").then().extract().jsonPath().getList("", Map.class),
                h -> h != null && h.size() == 3).stream().map(m -> (Map<String, Object>) m).toList();
        assertThat(history).extracting(h -> h.get("type"))
                .containsExactly("OrderPlaced", "OrderConfirmed", "OrderShipped");
        assertThat(history).extracting(h -> h.get("version")).containsExactly(1, 2, 3);
    }

    @Test
    void a_confirmed_order_can_be_cancelled_with_a_reason() {
        UUID id = newOrder();
        asStaff().post("/orders/" + id + "/confirm").then().statusCode(202);
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("reason", "found it cheaper"))
                .post("/orders/" + id + "/cancel").then().statusCode(202).body("version", equalTo(3));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(buyer).get("/orders/" + id).then()
                .body("status", equalTo("CANCELLED")));
    }

    @Test
    void the_address_changes_before_shipping_and_not_after() {
        UUID id = newOrder();
        Map<String, Object> office = Map.of("line1", "9 Dock Road", "city", "Bremen", "postalCode", "28195", "country", "DE");
        asCustomer(buyer).contentType(ContentType.JSON).body(office).put("/orders/" + id + "/shipping-address").then()
                .statusCode(202).body("version", equalTo(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(buyer).get("/orders/" + id).then()
                .body("shippingAddress.city", equalTo("Bremen")).body("version", equalTo(2)));

        asStaff().post("/orders/" + id + "/confirm").then().statusCode(202);
        asStaff().post("/orders/" + id + "/ship").then().statusCode(202);
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("line1", "1 Elsewhere", "city", "Kiel", "postalCode", "24103",
                "country", "DE")).put("/orders/" + id + "/shipping-address").then()
                .statusCode(409).contentType("application/problem+json")
                .body("currentStatus", equalTo("SHIPPED"));
    }

    @Test
    void a_refused_transition_is_a_409_naming_the_current_status_and_writes_nothing() {
        UUID id = newOrder();
        asStaff().post("/orders/" + id + "/ship").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("currentStatus", equalTo("PLACED"))
                .body("detail", containsString("PLACED"));
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("reason", "x")).post("/orders/" + id + "/cancel").then().statusCode(202);
        asStaff().post("/orders/" + id + "/confirm").then().statusCode(409).body("currentStatus", equalTo("CANCELLED"));
        asStaff().post("/orders/" + id + "/ship").then().statusCode(409).body("currentStatus", equalTo("CANCELLED"));
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("reason", "again")).post("/orders/" + id + "/cancel").then()
                .statusCode(409).body("currentStatus", equalTo("CANCELLED"));
        await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(buyer).get("/orders/" + id + "/history").then().extract().jsonPath().getList("").size(), n -> n == 2);
    }

    @Test
    void a_command_against_an_old_version_is_a_412_with_the_current_version() {
        UUID id = newOrder();
        asStaff().post("/orders/" + id + "/confirm").then().statusCode(202);
        asCustomer(buyer).header("If-Match", "\"1\"").contentType(ContentType.JSON).body(Map.of("reason", "stale view"))
                .post("/orders/" + id + "/cancel").then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("currentVersion", equalTo(2));
    }

    @Test
    void a_malformed_if_match_or_an_unknown_order_is_refused_clearly() {
        asStaff().header("If-Match", "three").post("/orders/" + newOrder() + "/confirm").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("If-Match"));
        asStaff().post("/orders/" + UUID.randomUUID() + "/confirm").then()
                .statusCode(404).contentType("application/problem+json");
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("reason", "")).post("/orders/" + newOrder() + "/cancel").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("reason"));
    }

    @Test
    void a_body_over_64_kib_is_a_413_problem() {
        String huge = "{\"reason\":\"" + "x".repeat(70 * 1024) + "\"}";
        Response r = asCustomer(buyer).contentType(ContentType.JSON).body(huge).post("/orders/" + newOrder() + "/cancel");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
