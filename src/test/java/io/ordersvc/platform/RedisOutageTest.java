package io.ordersvc.platform;

import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisOutageTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Test
    void while_redis_is_stopped_the_instance_stays_ready_and_orders_lists_histories_and_products_come_from_postgresql() {
        UUID buyer = Fixtures.customer("Barbara McClintock");
        UUID maize = Fixtures.product("Maize seeds", "3.00");
        UUID order = Fixtures.order(buyer, maize, 2);
        LocalStack stack = LocalStack.forTests();
        try {
            stack.stop(LocalStack.REDIS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'Serves its roles' }.data.redis", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Serves its roles' }.data.replica", equalTo("UP")));
            // the replica, or the primary while the replica has not replayed the order yet
            asCustomer(buyer).get("/orders/" + order).then().statusCode(200)
                    .header("X-Read-Source", anyOf(equalTo("replica"), equalTo("primary")))
                    .body("status", equalTo("PLACED"));
            asCustomer(buyer).get("/orders/" + order + "/history").then().statusCode(200)
                    .body("type", contains("OrderPlaced"));
            asCustomer(buyer).get("/customers/" + buyer + "/orders").then().statusCode(200)
                    .body("items.orderId", contains(order.toString()))
                    .body("changesPosition", equalTo(0));
            asStaff().get("/staff/orders/awaiting-shipment").then().statusCode(200)
                    .body("changesPosition", equalTo(0));
            asCustomer(buyer).get("/products/" + maize).then().statusCode(200)
                    .body("name", equalTo("Maize seeds"));
        } finally {
            stack.start(LocalStack.REDIS);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'Serves its roles' }.data.redis", equalTo("UP")));
    }

    /**
     * Kafka's connector declares a consumer dead when a record waits over a minute for its
     * acknowledgement; the projector holds its records for as long as Redis is out, so it must not.
     */
    @Test
    void the_projector_waits_out_a_redis_outage_of_over_a_minute_and_projects_what_came_meanwhile() {
        UUID buyer = Fixtures.customer("Rachel Carson");
        UUID notebook = Fixtures.product("Field notebook", "9.00");
        LocalStack stack = LocalStack.forTests();
        UUID during;
        try {
            stack.stop(LocalStack.REDIS);
            during = Fixtures.order(buyer, notebook, 1);
            // longer than the connector's one minute
            await().pollDelay(Duration.ofSeconds(70)).atMost(Duration.ofSeconds(75)).until(() -> true);
        } finally {
            stack.start(LocalStack.REDIS);
        }
        UUID after = Fixtures.order(buyer, notebook, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            asCustomer(buyer).get("/orders/" + during).then().statusCode(200).header("X-Read-Source", "cache");
            asCustomer(buyer).get("/orders/" + after).then().statusCode(200).header("X-Read-Source", "cache");
        });
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** A busy Redis (here a long script) answers BUSY: a reply to wait out, not a reason to dead-letter. */
    @Test
    void an_event_projected_while_redis_answers_busy_is_applied_once_redis_is_free_and_never_dead_lettered() {
        UUID buyer = Fixtures.customer("Lise Meitner");
        UUID foil = Fixtures.product("Uranium foil", "40.00");
        long deadLettersBefore = deadLetters();
        redis.execute("CONFIG", "SET", "lua-time-limit", "10");
        try {
            // three seconds of a script that holds Redis; other clients are answered BUSY meanwhile
            reactiveRedis.execute("EVAL", """
                    local t0 = redis.call('TIME')
                    repeat local t = redis.call('TIME') until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 3000000
                    return 1""", "0").subscribe().with(done -> { }, failure -> { });
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(busy()).isTrue());
            UUID order = Fixtures.order(buyer, foil, 1);
            // Redis answers BUSY to these reads too, until the script ends
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                    redis.hash(String.class).hget(Views.order(redis, order), "version")).isEqualTo("1"));
        } finally {
            await().atMost(Duration.ofSeconds(10)).until(() -> !busy());
            redis.execute("CONFIG", "SET", "lua-time-limit", "5000");
        }
        assertThat(deadLetters()).isEqualTo(deadLettersBefore);
    }

    @Test
    void a_redis_that_comes_back_without_its_data_has_every_read_model_rebuilt_from_the_event_log() {
        UUID buyer = Fixtures.customer("Emmy Noether");
        UUID chalk = Fixtures.product("Chalk box", "2.50");
        UUID first = Fixtures.order(buyer, chalk, 1);
        UUID second = Fixtures.order(buyer, chalk, 2);
        asStaff().post("/orders/" + second + "/confirm").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .body("items.orderId", contains(second.toString(), first.toString())));

        // what a restart without persistence, or a replaced Redis, looks like to the service
        redis.execute("FLUSHALL");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            asCustomer(buyer).get("/customers/" + buyer + "/orders").then().statusCode(200)
                    .body("items.orderId", contains(second.toString(), first.toString()));
            assertThat(redis.hash(String.class).hget(Views.order(redis, second), "version")).isEqualTo("2");
        });
    }

    @Test
    void followers_are_told_to_refetch_once_the_read_models_redis_lost_are_rebuilt() {
        UUID buyer = Fixtures.customer("Hedy Lamarr");
        UUID radio = Fixtures.product("Radio", "30.00");
        UUID first = Fixtures.order(buyer, radio, 1);
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getLong("changesPosition") == 1);
        try (SseClient client = SseClient.connect(bearer(buyer), base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=1"))) {
            // the data goes, the connections stay: nothing else would tell the client that what it
            // shows was lost and is being rebuilt
            redis.execute("FLUSHALL");
            // a "stream started anew" reset may come first (the stream went with the data); the
            // rebuilt one comes once the read models are back, at the client's place in the stream
            await().atMost(Duration.ofSeconds(30)).until(() -> client.events("reset").stream()
                    .anyMatch(e -> e.data().contains("the read models were rebuilt")));
            List<SseClient.Event> events = client.events();
            int rebuilt = events.indexOf(events.stream().filter(e -> e.data().contains("the read models were rebuilt"))
                    .findFirst().orElseThrow());
            assertThat(events.get(rebuilt).id()).isEqualTo(rebuilt == 0 ? "1" : events.get(rebuilt - 1).id());
            asCustomer(buyer).get("/customers/" + buyer + "/orders").then().statusCode(200)
                    .body("items.orderId", contains(first.toString()));
        }
    }

    @Test
    void while_redis_names_no_read_models_reads_come_from_postgresql_not_from_an_empty_generation() {
        UUID buyer = Fixtures.customer("Grace Hopper");
        UUID tape = Fixtures.product("Tape", "4.00");
        UUID order = Fixtures.order(buyer, tape, 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asCustomer(buyer).get("/orders/" + order).then()
                .statusCode(200).header("X-Read-Source", "cache"));
        // holding the rebuild lease keeps the projector from rebuilding at once, as a long rebuild
        // would; taken once no rebuild (an earlier test's, say) runs or is about to switch
        await().atMost(Duration.ofSeconds(60)).until(() -> redis.key().exists("{views}:generation")
                && redis.execute("SET", "{views}:rebuild-lease", "test", "NX", "PX", "30000") != null);
        String generation = redis.value(String.class).get("{views}:generation");
        try {
            redis.key().del("{views}:generation");
            // the service notices within a second; from then on neither read touches the empty generation
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                asCustomer(buyer).get("/orders/" + order).then()
                        .statusCode(200).header("X-Read-Source", anyOf(equalTo("replica"), equalTo("primary")));
                asCustomer(buyer).get("/customers/" + buyer + "/orders").then().statusCode(200)
                        .body("items.orderId", contains(order.toString()))
                        .body("changesPosition", equalTo(0));
            });
        } finally {
            redis.value(String.class).set("{views}:generation", generation);
            redis.key().del("{views}:rebuild-lease");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> asCustomer(buyer).get("/orders/" + order).then()
                .statusCode(200).header("X-Read-Source", "cache"));
    }

    private boolean busy() {
        try {
            redis.execute("PING");
            return false;
        } catch (RuntimeException e) {
            return e.getMessage() != null && e.getMessage().contains("BUSY");
        }
    }

    private static long deadLetters() {
        return asAdmin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath().getLong("waiting");
    }

    @Test
    void an_sse_client_gets_the_changes_announced_while_its_instance_lost_the_subscription() {
        UUID buyer = Fixtures.customer("Rosalind Franklin");
        UUID slide = Fixtures.product("X-ray slide", "6.00");
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=0");
        try (SseClient client = SseClient.connect(bearer(buyer), changes)) {
            // Redis drops the instance's subscription; the order is announced while it subscribes again
            redis.execute("CLIENT", "KILL", "TYPE", "pubsub");
            Fixtures.order(buyer, slide, 1);
            await().atMost(SseClient.timeout()).until(() -> client.events().size() == 1);
            assertThat(client.events().get(0).id()).isEqualTo("1");
        }
    }

    @Test
    void an_sse_stream_outlives_a_redis_restart_and_delivers_what_was_projected_meanwhile() {
        UUID buyer = Fixtures.customer("Chien-Shiung Wu");
        UUID cobalt = Fixtures.product("Cobalt sample", "60.00");
        UUID first = Fixtures.order(buyer, cobalt, 1);
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getLong("changesPosition") == 1);
        LocalStack stack = LocalStack.forTests();
        try (SseClient client = SseClient.connect(bearer(buyer),
                base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=1"))) {
            stack.stop(LocalStack.REDIS);
            // the command side needs no Redis; the projector waits the outage out
            asStaff().post("/orders/" + first + "/confirm").then().statusCode(202);
            stack.start(LocalStack.REDIS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !client.events().isEmpty());
            assertThat(client.events()).extracting(SseClient.Event::id).containsExactly("2");
            assertThat(client.events().get(0).name()).isEqualTo("OrderConfirmed");
            assertThat(client.end()).isEqualTo(SseClient.End.OPEN);
        } finally {
            if (!stack.isRunning(LocalStack.REDIS)) {
                stack.start(LocalStack.REDIS);
            }
        }
    }
}
