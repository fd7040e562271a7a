package io.ordersvc.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReadinessTest {

    @Test
    void readiness_is_up_when_this_instance_serves_its_roles_and_names_each_server() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Serves its roles"))
                .body("checks.find { it.name == 'Serves its roles' }.data", allOf(
                        hasEntry("connections", "open"), hasEntry("command side", "UP"), hasEntry("query side", "UP"),
                        hasEntry("primary", "UP"), hasEntry("replica", "UP"), hasEntry("redis", "UP")));
    }

    @Test
    void no_single_server_check_of_the_extensions_takes_the_instance_out_of_service() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", not(hasItems("Redis connection health check")))
                .body("checks.name", not(hasItems("Kafka connection health check")))
                .body("checks.name", not(hasItems("Reactive PostgreSQL connections health check")));
    }
}
