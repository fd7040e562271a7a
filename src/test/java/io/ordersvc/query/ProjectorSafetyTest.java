package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.cqrs.viewstore.RedisPolicyCheck;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.KafkaSupport;
import io.quarkus.redis.datasource.RedisDataSource;
import io.ordersvc.support.Views;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectorSafetyTest {

    @Inject
    RedisDataSource redis;

    @Inject
    RedisPolicyCheck policy;

    @Test
    void an_event_that_skips_versions_drops_the_view_rather_than_mixing_versions_and_the_next_read_is_correct() {
        UUID buyer = customer("Butler Lampson");
        UUID id = Fixtures.order(buyer, product("Alto mouse", "7.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(redis.hash(String.class).hget(Views.order(redis, id), "version")));

        String skipping = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"aggregateType\":\"order\",\"aggregateId\":\"" + id
                + "\",\"version\":3,\"eventType\":\"OrderShipped\",\"schemaVersion\":2,\"occurredAt\":\"2026-11-23T12:00:00Z\","
                + "\"correlationId\":\"gap-test\",\"payload\":{\"orderId\":\"" + id + "\",\"customerId\":\"" + buyer
                + "\",\"previousStatus\":\"CONFIRMED\",\"total\":7.00,\"shippedAt\":\"2026-11-23T12:00:00Z\"}}";
        long offset = KafkaSupport.send("orders.events", id.toString(), skipping);
        KafkaSupport.awaitConsumed("order-projector", "orders.events", id.toString(), offset);

        assertThat(redis.key().exists(Views.order(redis, id))).isFalse();
        asCustomer(buyer).get("/orders/" + id).then().statusCode(200)
                .header("X-Read-Source", "replica").body("version", equalTo(1)).body("status", equalTo("PLACED"));
    }

    @Test
    void a_poison_record_goes_to_the_dead_letter_topic_and_the_projector_goes_on() {
        String key = UUID.randomUUID().toString();
        String poison = "{ this is not an event " + key;
        KafkaSupport.send("orders.events", key, poison);

        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaSupport.readAll("orders.events.dlq").stream()
                .anyMatch(r -> poison.equals(r.value())));
        UUID after = Fixtures.order(customer("Ivan Sutherland"), product("Sketchpad", "11.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.key().exists(Views.order(redis, after)));

        long waiting = asAdmin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath().getLong("waiting");
        assertThat(waiting).isGreaterThanOrEqualTo(1);
        int redriven = asAdmin().post("/admin/dead-letters/redrive").then().statusCode(200).extract().jsonPath().getInt("redriven");
        assertThat(redriven).isGreaterThanOrEqualTo(1);
        // still poisonous: it comes back, and the projector still goes on
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaSupport.readAll("orders.events.dlq").stream()
                .filter(r -> poison.equals(r.value())).count() >= 2);
    }

    @Test
    void views_of_live_orders_expire_a_day_after_their_last_change_and_those_of_finished_orders_an_hour_after() {
        UUID alan = customer("Alan Kay");
        UUID id = Fixtures.order(alan, product("Dynabook", "99.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.key().exists(Views.order(redis, id)));
        assertThat(redis.key().pttl(Views.order(redis, id)))
                .isBetween(Duration.ofDays(1).minusMinutes(1).toMillis(), Duration.ofDays(1).toMillis());

        asCustomer(alan).contentType("application/json").body("{\"reason\":\"changed plans\"}").post("/orders/" + id + "/cancel")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> "CANCELLED".equals(redis.hash(String.class).hget(Views.order(redis, id), "status")));
        assertThat(redis.key().pttl(Views.order(redis, id))).isBetween(1L, Duration.ofHours(1).toMillis());
    }

    @Test
    void the_redis_memory_policy_is_checked_and_a_wrong_one_is_reported() {
        assertThat(policy.problems().await().atMost(Duration.ofSeconds(5))).isEmpty();
        redis.execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        try {
            assertThat(policy.problems().await().atMost(Duration.ofSeconds(5))).hasSize(1);
        } finally {
            redis.execute("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
        }
    }

    @Test
    void stream_nodes_too_large_for_an_orders_own_stream_are_reported() {
        redis.execute("CONFIG", "SET", "stream-node-max-bytes", "4096");
        try {
            assertThat(policy.problems().await().atMost(Duration.ofSeconds(5)))
                    .singleElement().asString().contains("stream-node-max-bytes is 4096");
        } finally {
            redis.execute("CONFIG", "SET", "stream-node-max-bytes", "512");
        }
    }

    @Test
    void metrics_show_lag_backlog_reads_and_dead_letters() {
        UUID donald = customer("Donald Knuth");
        UUID id = Fixtures.order(donald, product("TAOCP vol. 1", "70.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(donald).get("/orders/" + id).statusCode() == 200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("ordersvc_commit_to_visible_seconds_bucket", "ordersvc_outbox_backlog",
                    "ordersvc_outbox_oldest_age_seconds", "ordersvc_query_reads_total", "ordersvc_query_cache_misses_total",
                    "ordersvc_dead_letters");
        });
    }
}
