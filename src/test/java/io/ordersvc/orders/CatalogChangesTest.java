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

import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogChangesTest {

    @Inject
    Pool primary;

    @Test
    void a_price_change_leaves_orders_placed_before_it_untouched() {
        UUID buyer = customer("Sophie Germain");
        UUID prism = product("Glass prism", "10.00");
        UUID before = Fixtures.order(buyer, prism, 3);

        asStaff().header("If-Match", "\"1\"").contentType(ContentType.JSON).body(Map.of("unitPrice", new BigDecimal("12.50")))
                .post("/products/" + prism + "/price").then().statusCode(202).body("version", equalTo(2));
        UUID after = Fixtures.order(buyer, prism, 3);

        assertThat(total(before)).isEqualByComparingTo("30.00");
        assertThat(total(after)).isEqualByComparingTo("37.50");
        BigDecimal viewTotal = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(buyer).get("/orders/" + before).then().extract().jsonPath(
                        JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL))
                        .getObject("total", BigDecimal.class), t -> t != null);
        assertThat(viewTotal).isEqualByComparingTo("30.00");
    }

    @Test
    void a_discontinued_product_cannot_be_ordered_and_a_stale_price_change_is_a_412() {
        UUID buyer = customer("Maryam Mirzakhani");
        UUID chalk = product("Hyperbolic chalk", "3.00");
        asStaff().post("/products/" + chalk + "/discontinue").then().statusCode(202).body("version", equalTo(2));

        asCustomer(buyer).contentType(ContentType.JSON).body(placeOrder(buyer, List.of(line(chalk, 1)))).post("/orders").then()
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.hasItem("lines[0].productId"));
        asStaff().header("If-Match", "\"1\"").contentType(ContentType.JSON).body(Map.of("unitPrice", new BigDecimal("1.00")))
                .post("/products/" + chalk + "/price").then().statusCode(412).body("currentVersion", equalTo(2));
        asStaff().post("/products/" + chalk + "/discontinue").then().statusCode(409);
    }

    private BigDecimal total(UUID orderId) {
        return primary.preparedQuery("SELECT total FROM orders WHERE id = $1").execute(Tuple.of(orderId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getBigDecimal(0);
    }
}
