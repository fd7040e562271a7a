package io.ordersvc.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisOutageTest {

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
}
