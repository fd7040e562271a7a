package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sales dashboard (staff's), kept by the projector, agrees with the write model once it has caught up. */
@QuarkusTest
class SalesStatsTest {

    @Inject
    Pool primary;

    @Test
    void orders_and_revenue_per_status_match_the_write_model_as_orders_move_through_their_lifecycle() {
        UUID buyer = customer("Katherine Coleman");
        UUID globe = product("Celestial globe", "42.50");
        UUID kept = Fixtures.order(buyer, globe, 2);
        UUID confirmed = Fixtures.order(buyer, globe, 1);
        UUID cancelled = Fixtures.order(buyer, globe, 3);
        asStaff().post("/orders/" + confirmed + "/confirm").then().statusCode(202);
        asCustomer(buyer).contentType("application/json").body("{\"reason\":\"too heavy\"}").post("/orders/" + cancelled + "/cancel")
                .then().statusCode(202);
        assertThat(kept).isNotNull();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(dashboard()).isEqualTo(writeModel()));

        JsonPath stats = asStaff().queryParam("days", 7).get("/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getLong("version")).isPositive();
        assertThat(stats.getList("byDay")).isNotEmpty();
    }

    private Map<String, String> dashboard() {
        JsonPath stats = asStaff().get("/stats").then().statusCode(200).extract()
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        Map<String, String> figures = new HashMap<>();
        List<Map<String, Object>> byStatus = stats.getList("byStatus");
        for (Map<String, Object> f : byStatus) {
            if (((Number) f.get("orders")).longValue() != 0) {
                figures.put((String) f.get("key"), f.get("orders") + " / " + new BigDecimal(f.get("revenue").toString()).setScale(2));
            }
        }
        return figures;
    }

    private Map<String, String> writeModel() {
        Map<String, String> figures = new HashMap<>();
        primary.query("SELECT status, count(*) AS n, sum(total) AS revenue FROM orders GROUP BY status").execute()
                .await().atMost(Duration.ofSeconds(5))
                .forEach(r -> figures.put(r.getString("status"), r.getLong("n") + " / " + r.getBigDecimal("revenue").setScale(2)));
        return figures;
    }
}
