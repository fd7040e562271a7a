package io.ordersvc.security;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a browser, a cross-site page or a curious caller meets besides the access rules. */
@QuarkusTest
class HardeningTest {

    @Test
    void the_web_ui_may_run_only_its_own_code_and_may_not_be_framed() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    @Test
    void another_origin_gets_no_cross_origin_permission() {
        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/orders").then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://elsewhere.example").get("/products").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void a_command_posted_as_a_form_is_refused_and_changes_nothing() {
        UUID buyer = Fixtures.customer("Chien Wu");
        UUID order = Fixtures.order(buyer, Fixtures.product("Crucible", "8.00"), 1);
        asStaff().contentType(ContentType.URLENC).body("x=1").post("/orders/" + order + "/confirm").then()
                .statusCode(415).contentType("application/problem+json").body("errors[0].field", equalTo("Content-Type"));
        asStaff().contentType(ContentType.TEXT).body("{}").post("/orders/" + order + "/ship").then().statusCode(415);
        asCustomer(buyer).contentType("multipart/form-data; boundary=x").body("--x--".getBytes(StandardCharsets.US_ASCII))
                .post("/orders/" + order + "/cancel").then().statusCode(415);
        // a form with nothing in it carries no credentials either
        given().contentType(ContentType.URLENC).post("/orders/" + order + "/confirm").then().statusCode(401);
        // a command that takes no body still goes without one
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                asStaff().get("/orders/" + order).then().statusCode(200).body("status", equalTo("PLACED")));
        asStaff().post("/orders/" + order + "/confirm").then().statusCode(202).body("version", equalTo(2));
    }

    @Test
    void a_conflict_names_no_table_or_constraint() {
        UUID id = UUID.randomUUID();
        Map<String, String> me = Map.of("name", "Twice", "email", Fixtures.unique("twice") + "@example.com");
        asCustomer(id).contentType(ContentType.JSON).body(me).post("/customers").then().statusCode(201);
        String detail = asCustomer(id).contentType(ContentType.JSON)
                .body(Map.of("name", "Twice", "email", Fixtures.unique("again") + "@example.com"))
                .post("/customers").then().statusCode(409).extract().path("detail");
        assertThat(detail).doesNotContainIgnoringCase("pkey").doesNotContainIgnoringCase("constraint")
                .doesNotContain("customers_").contains("registered already");
    }
}
