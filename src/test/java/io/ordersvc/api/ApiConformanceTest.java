package io.ordersvc.api;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersvc.support.ApiConformance;
import io.ordersvc.support.ApiConformance.Exchange;
import io.ordersvc.support.ApiConformanceFilter;
import io.ordersvc.support.Callers;
import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The check that holds the specifications' traffic to the API document ({@code support.ApiConformance},
 * installed for every spec) is itself checked here: given a document with a disagreement planted in
 * it, real traffic fails the request's test, with a message that names the request, the operation
 * and what disagrees; and what it must let pass (a request refused on purpose, what the document
 * does not describe) passes.
 */
@QuarkusTest
class ApiConformanceTest {

    private static final String ORDER = "/paths/~1orders~1{id}";

    @Test
    void an_answer_field_of_another_type_than_declared_fails_the_request_naming_it() {
        UUID buyer = customer("Ada Lovelace");
        UUID book = product("Notes on the engine", "12.00");

        String failure = failure(d -> ((ObjectNode) d.at("/components/schemas/OrderAccepted/properties/version"))
                .put("type", "string"), planted -> asCustomer(buyer).filter(planted).contentType(ContentType.JSON)
                .body(placeOrder(buyer, List.of(Fixtures.line(book, 1)))).post("/orders"));

        assertThat(failure).contains("POST /orders answered 202 (POST /orders)", "the answer's body disagrees",
                "/version: integer found, string expected");
    }

    @Test
    void a_body_the_document_does_not_declare_fails_the_request_that_sent_it() {
        UUID buyer = customer("Grace Hopper");
        UUID order = Fixtures.order(buyer, product("Compiler", "30.00"), 1);

        String failure = failure(d -> ((ObjectNode) d.at(ORDER + "~1cancel/post")).remove("requestBody"),
                planted -> asCustomer(buyer).filter(planted).contentType(ContentType.JSON)
                        .body(Map.of("reason", "changed my mind")).post("/orders/" + order + "/cancel"));

        assertThat(failure).contains("POST /orders/" + order + "/cancel answered 202 (POST /orders/{id}/cancel)",
                "the request has a body (application/json) where the document declares none");
    }

    @Test
    void a_status_the_document_does_not_declare_fails_the_request_that_got_it() {
        UUID unknown = UUID.randomUUID();

        String failure = failure(d -> ((ObjectNode) d.at(ORDER + "/get/responses")).remove("404"),
                planted -> asCustomer(customer("Edsger Dijkstra")).filter(planted).get("/orders/" + unknown));

        assertThat(failure).contains("GET /orders/" + unknown + " answered 404 (GET /orders/{id})",
                "the document does not declare 404");
    }

    @Test
    void a_required_header_the_answer_lacks_fails_the_request() {
        UUID order = Fixtures.order(customer("Niklaus Wirth"), product("Algorithms + Data Structures", "25.00"), 1);

        String failure = failure(d -> ((ObjectNode) d.at(ORDER + "~1confirm/post/responses/202/headers"))
                .putObject("X-Never-Sent").put("required", true).putObject("schema").put("type", "string"),
                planted -> asStaff().filter(planted).post("/orders/" + order + "/confirm"));

        assertThat(failure).contains("POST /orders/" + order + "/confirm answered 202 (POST /orders/{id}/confirm)",
                "the answer lacks the header X-Never-Sent, which the document requires");
    }

    @Test
    void a_caller_the_document_does_not_let_call_an_operation_fails_the_request_the_service_served() {
        UUID buyer = customer("Barbara Liskov");

        String failure = failure(d -> ((ObjectNode) d.at("/paths/~1products/get/security/0")).putArray("bearer").add("admin"),
                planted -> asCustomer(buyer).filter(planted).get("/products"));

        assertThat(failure).contains("GET /products answered 200 (GET /products)",
                "a caller whose roles are [customer] where the document lets only [admin]");
    }

    @Test
    void a_request_refused_on_purpose_passes_and_its_refusal_is_still_held_to_the_document() {
        ApiConformance served = served();
        Map<String, List<String>> json = Map.of("content-type", List.of("application/json"));
        String malformed = "{\"lines\": []}";
        String problem = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"errors\":[{\"field\":\"lines\",\"message\":\"size must be between 1 and 100\"}]}";

        ApiConformance.Verdict refused = served.check(new Exchange("POST", "/orders", Map.of(), json, malformed, 400,
                Map.of("content-type", List.of("application/problem+json")), problem));
        ApiConformance.Verdict served202 = served.check(new Exchange("POST", "/orders", Map.of(), json, malformed, 202,
                Map.of("content-type", List.of("application/json")), "{}"));
        ApiConformance.Verdict refusedAsText = served.check(new Exchange("POST", "/orders", Map.of(), json, malformed, 400,
                Map.of("content-type", List.of("text/plain")), "no"));

        assertThat(refused.agrees()).as("%s", refused).isTrue();
        assertThat(refused.requestChecked()).isFalse();
        assertThat(refused.answerChecked()).isTrue();
        assertThat(served202.disagreements()).as("a malformed request the service took")
                .anyMatch(d -> d.contains("the request's body disagrees") && d.contains("/lines"))
                .anyMatch(d -> d.contains("the answer's body disagrees") && d.contains("required"));
        assertThat(refusedAsText.disagreements()).singleElement().asString()
                .contains("POST /orders answered 400 (POST /orders)", "the answer is text/plain where the document declares "
                        + "application/problem+json");
        // and on the wire: refused, and nothing fails
        asCustomer(UUID.randomUUID()).contentType(ContentType.JSON).body(malformed).post("/orders").then().statusCode(400);
    }

    @Test
    void what_the_document_does_not_describe_is_named_out_of_scope_or_is_a_disagreement_when_served() {
        ApiConformance served = served();
        Map<String, List<String>> none = Map.of();

        assertThat(served.check(new Exchange("GET", "/q/health/ready", none, none, null, 200, none, "{}")).outOfScope())
                .contains("/q/*");
        assertThat(served.check(new Exchange("GET", "/", none, none, null, 200,
                Map.of("content-type", List.of("text/html")), "<html>")).outOfScope()).contains("web UI");
        assertThat(served.check(new Exchange("DELETE", "/orders/" + UUID.randomUUID(), none, none, null, 405, none, null))
                .outOfScope()).contains("no such operation, refused");
        assertThat(served.check(new Exchange("GET", "/widgets", none, none, null, 200, none, null)).disagreements())
                .singleElement().asString().contains("GET /widgets answered 200: the document has no such operation");
        ApiConformance.Verdict stream = served.check(new Exchange("GET", "/products/changes", none,
                Map.of("authorization", List.of("Bearer " + Callers.tokens().staff())), null, 200,
                Map.of("content-type", List.of("text/event-stream")), null));
        assertThat(stream.agrees()).as("%s", stream).isTrue();
        assertThat(stream.operation()).isEqualTo("GET /products/changes");
    }

    // --- documents with a disagreement planted

    private static ApiConformance served() {
        return ApiConformance.of(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString());
    }

    /**
     * How the check fails {@code send}, a request on the wire, when it holds it to the served document
     * changed by {@code plant}: its message.
     */
    private static String failure(Consumer<JsonNode> plant, Consumer<ApiConformanceFilter> send) {
        JsonNode variant = served().document().deepCopy();
        plant.accept(variant);
        Throwable thrown = catchThrowable(() -> send.accept(ApiConformanceFilter.against(ApiConformance.of(variant))));
        assertThat(thrown).as("the check of a request against a document with a disagreement planted in it")
                .isInstanceOf(AssertionError.class);
        return thrown.getMessage();
    }
}
