package io.ordersvc.platform;

import static io.ordersvc.support.Callers.asCustomer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PrimaryOutageTest {

    @Test
    void while_the_primary_is_down_a_command_is_answered_503_with_retry_after_within_a_second_and_reads_go_on() {
        UUID buyer = Fixtures.customer("Hedy Lamarr");
        UUID radio = Fixtures.product("Radio guidance kit", "150.00");
        UUID order = Fixtures.order(buyer, radio, 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                asCustomer(buyer).get("/orders/" + order).then().statusCode(200).header("X-Read-Source", "cache"));
        LocalStack stack = LocalStack.forTests();
        try {
            stack.stop(LocalStack.POSTGRES);
            for (int attempt = 0; attempt < 3; attempt++) {
                long began = System.nanoTime();
                Response answer = asCustomer(buyer).contentType(ContentType.JSON)
                        .body(Fixtures.placeOrder(buyer, List.of(Fixtures.line(radio, 2))))
                        .post("/orders");
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                answer.then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "1")
                        .body("status", equalTo(503));
                assertThat(took).isLessThan(Duration.ofSeconds(1));
            }
            asCustomer(buyer).get("/orders/" + order).then().statusCode(200).body("status", equalTo("PLACED"));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'Serves its roles' }.data.primary", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Serves its roles' }.data['command side']", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Serves its roles' }.data['query side']", equalTo("UP"));
        } finally {
            stack.start(LocalStack.POSTGRES);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asCustomer(buyer).contentType(ContentType.JSON)
                .body(Fixtures.placeOrder(buyer, List.of(Fixtures.line(radio, 3))))
                .post("/orders").then().statusCode(202));
    }
}
