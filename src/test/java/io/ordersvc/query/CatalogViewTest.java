package io.ordersvc.query;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Replica;
import io.quarkus.redis.datasource.RedisDataSource;
import io.ordersvc.support.Views;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Staff manage the catalog; any signed-in caller, here a shopper, reads it. */
@QuarkusTest
class CatalogViewTest {

    @Inject
    RedisDataSource redis;

    @Test
    void a_products_view_follows_its_price_change_and_discontinuation() {
        UUID shopper = UUID.randomUUID();
        UUID id = Fixtures.product("Abacus", "15.00");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(shopper).get("/products/" + id).then()
                .statusCode(200).header("ETag", "\"1\"").body("name", equalTo("Abacus")).body("discontinued", equalTo(false)));

        asStaff().contentType(ContentType.JSON).body(Map.of("unitPrice", new BigDecimal("16.50")))
                .post("/products/" + id + "/price").then().statusCode(202);
        asStaff().post("/products/" + id + "/discontinue").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(shopper).get("/products/" + id).then()
                .statusCode(200).header("ETag", "\"3\"").body("discontinued", equalTo(true))
                .body("unitPrice", equalTo(16.5f)));
    }

    @Test
    void a_missing_product_view_is_rebuilt_from_the_replica_and_an_unknown_one_is_404() {
        UUID shopper = UUID.randomUUID();
        UUID id = Fixtures.product("Slide rule case", "4.00");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.key().exists(Views.key(redis, ProductView.key(id))));
        redis.key().del(Views.key(redis, ProductView.key(id)));
        asCustomer(shopper).get("/products/" + id).then().statusCode(200).body("version", equalTo(1));
        assertThat(redis.key().exists(Views.key(redis, ProductView.key(id)))).isTrue();
        asCustomer(shopper).get("/products/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void a_miss_while_the_replica_lags_is_answered_and_put_back_from_the_primary_never_older() throws Exception {
        UUID shopper = UUID.randomUUID();
        UUID id = Fixtures.product("Planimeter", "30.00");
        await().atMost(Duration.ofSeconds(10)).until(() -> Replica.version(id) == 1);
        Replica.pause();
        try {
            asStaff().contentType(ContentType.JSON).body(Map.of("unitPrice", new BigDecimal("31.50")))
                    .post("/products/" + id + "/price").then().statusCode(202).body("version", equalTo(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(redis.hash(String.class)
                    .hget(Views.key(redis, ProductView.key(id)), "version")));
            // the view is gone (evicted, say) while the replica has not replayed the price change
            redis.key().del(Views.key(redis, ProductView.key(id)));
            asCustomer(shopper).get("/products/" + id).then().statusCode(200)
                    .header("ETag", "\"2\"").body("unitPrice", equalTo(31.5f));
            assertThat(redis.hash(String.class).hget(Views.key(redis, ProductView.key(id)), "version"))
                    .as("the view put back").isEqualTo("2");
            assertThat(Replica.version(id)).as("the replica still lags").isEqualTo(1);
        } finally {
            Replica.resume();
        }
    }

    @Test
    void the_catalog_is_listed_by_sku_a_page_at_a_time_without_gaps_or_repeats() {
        UUID shopper = UUID.randomUUID();
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(Fixtures.product("Catalog item " + i, "1.0" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> mine.stream().allMatch(id -> redis.key().exists(Views.key(redis, ProductView.key(id)))));

        List<String> skus = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asCustomer(shopper).queryParam("limit", 7);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/products").then().statusCode(200).extract().jsonPath();
            skus.addAll(page.getList("items.sku"));
            ids.addAll(page.getList("items.productId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 1000);

        assertThat(skus).isSorted().doesNotHaveDuplicates();
        assertThat(ids).containsAll(mine.stream().map(UUID::toString).toList());
    }
}
