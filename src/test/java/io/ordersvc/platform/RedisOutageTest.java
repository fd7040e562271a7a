package io.ordersvc.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.UUID;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisOutageTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Test
    void readiness_goes_down_while_redis_is_stopped_and_comes_back_when_it_returns() {
        LocalStack stack = LocalStack.forTests();
        try {
            stack.stop(LocalStack.REDIS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN")));
        } finally {
            stack.start(LocalStack.REDIS);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void an_sse_client_gets_the_changes_announced_while_its_instance_lost_the_subscription() {
        UUID buyer = Fixtures.customer("Rosalind Franklin");
        UUID slide = Fixtures.product("X-ray slide", "6.00");
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=0");
        try (SseClient client = SseClient.connect(changes)) {
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
        await().atMost(SseClient.timeout()).until(() -> given().get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getLong("changesPosition") == 1);
        LocalStack stack = LocalStack.forTests();
        try (SseClient client = SseClient.connect(base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=1"))) {
            stack.stop(LocalStack.REDIS);
            // the command side needs no Redis; the projector waits the outage out
            given().post("/orders/" + first + "/confirm").then().statusCode(202);
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
