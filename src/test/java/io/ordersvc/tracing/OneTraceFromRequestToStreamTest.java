package io.ordersvc.tracing;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.ordersvc.support.SseClient;
import io.ordersvc.support.Spans;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A command's trace, followed from the request that sent it through its event's publish, projection
 * and delivery to a change-stream client; and its trace id, found again where a client looks.
 */
@QuarkusTest
class OneTraceFromRequestToStreamTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TestHTTPResource("/")
    URI base;

    @Inject
    Spans spans;

    @Test
    void a_command_sent_with_a_traceparent_finds_its_trace_id_in_the_history_and_in_the_change_events() {
        UUID customer = customer("Grace Hopper");
        UUID compiler = product("Compiler manual", "18.00");
        String placing = traceId();
        String cancelling = traceId();
        try (SseClient changes = SseClient.connect(bearer(customer), base.resolve("/customers/" + customer + "/orders/changes"))) {
            assertThat(changes.status()).isEqualTo(200);

            UUID orderId = UUID.fromString(asCustomer(customer).header("traceparent", traceParent(placing, spanId()))
                    .contentType(ContentType.JSON).body(placeOrder(customer, List.of(line(compiler, 1))))
                    .post("/orders").then().statusCode(202).extract().path("orderId"));
            asCustomer(customer).header("traceparent", traceParent(cancelling, spanId())).header("If-Match", "\"1\"")
                    .contentType(ContentType.JSON).body("{\"reason\":\"changed my mind\"}")
                    .post("/orders/" + orderId + "/cancel").then().statusCode(202);

            // the history is read from the replica: it may take a moment to have the cancellation
            List<String> traceIds = await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(customer)
                    .get("/orders/" + orderId + "/history").then().statusCode(200).extract().jsonPath()
                    .<String>getList("traceId"), ids -> ids.size() == 2);
            assertThat(traceIds).containsExactly(placing, cancelling);

            List<SseClient.Event> events = await().atMost(SseClient.timeout())
                    .until(changes::events, received -> received.size() >= 2);
            assertThat(events).extracting(e -> JsonPath.from(e.data()).getString("traceId"))
                    .containsExactly(placing, cancelling);
            assertThat(events).extracting(SseClient.Event::name).containsExactly("OrderPlaced", "OrderCancelled");
        }
    }

    @Test
    void a_command_without_a_traceparent_is_given_a_trace_of_its_own_that_the_history_names() {
        UUID customer = customer("Jean Sammet");
        UUID manual = product("COBOL manual", "22.00");
        UUID orderId = UUID.fromString(asCustomer(customer).contentType(ContentType.JSON)
                .body(placeOrder(customer, List.of(line(manual, 2)))).post("/orders").then().statusCode(202)
                .extract().path("orderId"));

        String traceId = await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(customer)
                .get("/orders/" + orderId + "/history").then().extract().jsonPath().<String>getList("traceId"),
                ids -> ids != null && ids.size() == 1).get(0);
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        SpanData request = await().atMost(Duration.ofSeconds(10))
                .until(() -> span(traceId, SpanKind.SERVER, "POST"), Optional::isPresent).get();
        assertThat(request.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void the_request_the_publish_the_projection_and_the_delivery_of_one_change_are_spans_of_one_trace() {
        UUID customer = customer("Frances Allen");
        UUID optimizer = product("Optimizer notes", "40.00");
        String trace = traceId();
        String callerSpan = spanId();
        try (SseClient changes = SseClient.connect(bearer(customer), base.resolve("/customers/" + customer + "/orders/changes"))) {
            assertThat(changes.status()).isEqualTo(200);
            asCustomer(customer).header("traceparent", traceParent(trace, callerSpan))
                    .contentType(ContentType.JSON).body(placeOrder(customer, List.of(line(optimizer, 1))))
                    .post("/orders").then().statusCode(202);
            await().atMost(SseClient.timeout()).until(changes::events, received -> !received.isEmpty());

            SpanData request = awaitSpan(trace, SpanKind.SERVER, "POST");
            SpanData publish = awaitSpan(trace, SpanKind.PRODUCER, "orders.events publish");
            SpanData process = awaitSpan(trace, SpanKind.CONSUMER, "orders.events process");
            SpanData delivery = awaitSpan(trace, SpanKind.PRODUCER, "changes deliver");

            assertThat(request.getParentSpanId()).isEqualTo(callerSpan);
            assertThat(ancestors(trace, publish)).contains(request.getSpanId());
            assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
            assertThat(delivery.getParentSpanId()).isEqualTo(process.getSpanId());
            assertThat(process.getAttributes().asMap().values()).contains("applied");

            // the script call that applied the change applied others with it: it links each record's span
            SpanData write = await().atMost(Duration.ofSeconds(10)).until(() -> spans.all().stream()
                    .filter(s -> s.getName().equals("views apply"))
                    .filter(s -> s.getLinks().stream().anyMatch(l -> l.getSpanContext().getSpanId().equals(process.getSpanId())))
                    .findFirst(), Optional::isPresent).get();
            assertThat(write.getParentSpanContext().isValid()).isFalse();
        }
    }

    @Test
    void a_command_and_a_read_make_a_server_span_each_and_no_span_per_database_or_redis_call() {
        UUID customer = customer("Adele Goldberg");
        UUID book = product("Smalltalk-80", "55.00");
        String placing = traceId();
        String reading = traceId();
        asCustomer(customer).header("traceparent", traceParent(placing, spanId())).contentType(ContentType.JSON)
                .body(placeOrder(customer, List.of(line(book, 1)))).post("/orders").then().statusCode(202);
        asStaff().header("traceparent", traceParent(reading, spanId())).get("/stats").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> span(placing, SpanKind.SERVER, "POST").isPresent()
                && span(reading, SpanKind.SERVER, "GET").isPresent());
        // the command's transaction and the read's Redis call ran inside those spans, and made none of their own
        assertThat(spans.all()).filteredOn(s -> s.getTraceId().equals(placing) || s.getTraceId().equals(reading))
                .extracting(SpanData::getKind).doesNotContain(SpanKind.CLIENT);
    }

    private SpanData awaitSpan(String trace, SpanKind kind, String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> span(trace, kind, name), Optional::isPresent).get();
    }

    private Optional<SpanData> span(String trace, SpanKind kind, String namePrefix) {
        return spans.ofTrace(trace).stream().filter(s -> s.getKind() == kind && s.getName().startsWith(namePrefix)).findFirst();
    }

    /** The ids of the span's parent, its parent's parent, and so on, as far as the trace's exported spans go. */
    private List<String> ancestors(String trace, SpanData span) {
        List<SpanData> all = spans.ofTrace(trace);
        java.util.ArrayList<String> up = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (parent != null && !up.contains(parent)) {
            up.add(parent);
            String id = parent;
            parent = all.stream().filter(s -> s.getSpanId().equals(id)).findFirst().map(SpanData::getParentSpanId).orElse(null);
        }
        return up;
    }

    private static String traceId() {
        return hex(16);
    }

    private static String spanId() {
        return hex(8);
    }

    private static String traceParent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
