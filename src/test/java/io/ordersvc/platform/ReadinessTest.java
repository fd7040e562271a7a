package io.ordersvc.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReadinessTest {

    @Test
    void readiness_is_up_and_names_postgres_the_replica_redis_and_kafka() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(
                        "Reactive PostgreSQL connections health check",
                        "Redis connection health check",
                        "Kafka connection health check"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.data",
                        hasKey("<default>"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.data",
                        hasKey("replica"));
    }
}
