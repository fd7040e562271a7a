package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CustomerOrdersTest {

    @Inject
    RedisDataSource redis;

    @Test
    void a_customers_orders_come_newest_first_a_page_at_a_time() {
        UUID buyer = customer("Edsger Dijkstra");
        UUID pen = product("Fountain pen", "45.00");
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(Fixtures.order(buyer, pen, i + 1).toString());
        }
        await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(buyer).queryParam("limit", 100).get("/customers/" + buyer + "/orders").jsonPath().getList("items").size() == 5);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asCustomer(buyer).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/customers/" + buyer + "/orders").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.orderId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);

        Collections.reverse(placed);
        assertThat(seen).containsExactlyElementsOf(placed);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void a_page_older_than_what_a_customers_list_keeps_is_read_from_the_replica() {
        UUID buyer = customer("Frances Spence");
        UUID tape = product("Paper tape", "1.00");
        UUID oldest = Fixtures.order(buyer, tape, 1);
        UUID older = Fixtures.order(buyer, tape, 1);
        Fixtures.order(buyer, tape, 1);
        String index = Views.key(redis, CustomerOrdersProjection.key(buyer));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(index) == 3);
        // the list as a customer with more orders than it keeps has it: full, its oldest entries gone
        redis.sortedSet(String.class).zrem(index, oldest.toString());
        Map<String, Double> newer = new HashMap<>();
        for (int i = 0; newer.size() + 2 < CustomerOrdersProjection.KEPT; i++) {
            newer.put(UUID.randomUUID().toString(), 9.0e12 + i);
        }
        redis.sortedSet(String.class).zadd(index, newer);
        long olderScore = (long) redis.sortedSet(String.class).zscore(index, older.toString()).orElseThrow();
        String after = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((olderScore + ":" + older).getBytes(StandardCharsets.UTF_8));

        List<String> page = asCustomer(buyer).queryParam("cursor", after).get("/customers/" + buyer + "/orders").then()
                .statusCode(200).extract().jsonPath().getList("items.orderId");

        assertThat(page).containsExactly(oldest.toString());
    }

    @Test
    void a_cursor_the_service_did_not_hand_out_is_a_400() {
        UUID buyer = UUID.randomUUID();
        asCustomer(buyer).queryParam("cursor", "not-a-cursor").get("/customers/" + buyer + "/orders").then()
                .statusCode(400).contentType("application/problem+json");
        asCustomer(buyer).queryParam("limit", 0).get("/customers/" + buyer + "/orders").then().statusCode(400);
    }
}
