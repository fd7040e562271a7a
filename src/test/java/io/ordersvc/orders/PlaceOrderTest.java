package io.ordersvc.orders;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.redis.datasource.RedisDataSource;
import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.ordersvc.support.Views;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlaceOrderTest {

    @Inject
    RedisDataSource redis;

    @Test
    void a_placed_order_is_accepted_and_then_its_view_shows_names_line_totals_and_a_total_that_adds_up() {
        UUID ada = customer("Ada Lovelace");
        UUID tea = product("Assam tea, 500 g", "12.40");
        UUID cups = product("Porcelain cup", "7.99");

        Response placed = asCustomer(ada).contentType(ContentType.JSON)
                .body(placeOrder(ada, List.of(line(tea, 2), line(cups, 3))))
                .post("/orders");
        placed.then().statusCode(202)
                .header("ETag", "\"1\"")
                .header("Location", matchesPattern(".*/orders/[0-9a-f-]{36}"))
                .body("version", equalTo(1));
        String orderId = placed.path("orderId");

        JsonPath view = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(ada).get("/orders/" + orderId), r -> r.statusCode() == 200 && "cache".equals(r.header("X-Read-Source")))
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

        assertThat(view.getString("status")).isEqualTo("PLACED");
        assertThat(view.getString("customer.name")).isEqualTo("Ada Lovelace");
        assertThat(view.getString("customer.email")).endsWith("@example.com");
        assertThat(view.getList("lines.productName")).containsExactly("Assam tea, 500 g", "Porcelain cup");
        assertThat(decimals(view, "lines.unitPrice")).containsExactly(new BigDecimal("12.40"), new BigDecimal("7.99"));
        assertThat(decimals(view, "lines.lineTotal")).containsExactly(new BigDecimal("24.80"), new BigDecimal("23.97"));
        assertThat(view.getObject("total", BigDecimal.class)).isEqualTo(new BigDecimal("48.77"));
        assertThat(view.getLong("version")).isEqualTo(1);
        assertThat(view.getString("shippingAddress.city")).isEqualTo("Hamburg");
    }

    @Test
    void the_order_joins_the_customers_recent_orders() {
        UUID grace = customer("Grace Hopper");
        UUID bugSpray = product("Bug spray", "3.50");
        String orderId = asCustomer(grace).contentType(ContentType.JSON).body(placeOrder(grace, List.of(line(bugSpray, 1))))
                .post("/orders").then().statusCode(202).extract().path("orderId");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                redis.sortedSet(String.class).zrange(Views.key(redis, CustomerOrdersProjection.key(grace)), 0, -1)).containsExactly(orderId));
    }

    @Test
    void a_view_missing_from_redis_is_rebuilt_from_the_replica_and_put_back() {
        UUID alan = customer("Alan Turing");
        UUID chalk = product("Chalk, 12 sticks", "2.25");
        String orderId = asCustomer(alan).contentType(ContentType.JSON).body(placeOrder(alan, List.of(line(chalk, 4))))
                .post("/orders").then().statusCode(202).extract().path("orderId");
        // projected: read from the cache, not folded from the replica (as while the read models are first built)
        Response projected = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(alan).get("/orders/" + orderId), r -> r.statusCode() == 200 && "cache".equals(r.header("X-Read-Source")));

        redis.key().del(Views.order(redis, UUID.fromString(orderId)));

        Response rebuilt = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(alan).get("/orders/" + orderId), r -> r.statusCode() == 200);
        assertThat(rebuilt.header("X-Read-Source")).isEqualTo("replica");
        assertThat(rebuilt.header("ETag")).isEqualTo("\"1\"");
        assertThat(sameView(rebuilt.jsonPath().getMap(""), projected.jsonPath().getMap(""))).isTrue();
        assertThat(redis.hash(String.class).hget(Views.order(redis, UUID.fromString(orderId)), "version")).isEqualTo("1");
        asCustomer(alan).get("/orders/" + orderId).then().statusCode(200).header("X-Read-Source", "cache");
    }

    @Test
    void an_unknown_order_is_a_404_problem() {
        // staff may read any order: the 404 says that none has this id
        asStaff().get("/orders/" + UUID.randomUUID()).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    private static List<BigDecimal> decimals(JsonPath json, String path) {
        return json.getList(path, BigDecimal.class);
    }

    /** Numbers compared by value: 24.8 and 24.80 are the same money. */
    private static boolean sameView(Map<String, Object> a, Map<String, Object> b) {
        return normalize(a).equals(normalize(b));
    }

    private static Object normalize(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> normalize(e.getValue())));
        }
        if (o instanceof List<?> l) {
            return l.stream().map(PlaceOrderTest::normalize).toList();
        }
        if (o instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        return o;
    }
}
