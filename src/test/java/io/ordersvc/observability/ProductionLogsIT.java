package io.ordersvc.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.support.Http;
import io.ordersvc.support.PackagedService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the packaged service (prod profile) writes to its log: JSON lines, each request's lines naming its trace. */
class ProductionLogsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static PackagedService service;
    private static RealmUsers users;

    @BeforeAll
    static void oneInstance() {
        stack = LocalStack.fresh(Path.of("target/stack-it-logs"), LocalStack.defaultDist());
        stack.up();
        users = stack.users();
        Map<String, String> env = new HashMap<>(stack.productionEnvironment());
        // the HTTP edge's debug lines (a 409 answered) are what a request writes here
        env.put("QUARKUS_LOG_CATEGORY__IO_ORDERSVC_CQRS_HTTP__LEVEL", "DEBUG");
        service = PackagedService.start("instance-logs", env);
    }

    @AfterAll
    static void down() {
        if (service != null) {
            service.close();
        }
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void every_line_is_json_and_the_lines_of_a_request_name_its_trace_span_and_correlation_ids() throws Exception {
        RealmUsers.Person ida = users.newCustomer("Ida Rhodes");
        UUID customer = ida.id();
        String asCustomer = "Bearer " + users.token(ida);
        send(Http.post(service.resolve("/customers"), "{\"name\":\"Ida Rhodes\",\"email\":\"ida-" + customer + "@example.com\"}",
                "Authorization", asCustomer), 201);
        String product = JSON.readTree(send(Http.post(service.resolve("/products"),
                "{\"sku\":\"SKU-" + UUID.randomUUID() + "\",\"name\":\"Punched cards\",\"unitPrice\":3.50}",
                "Authorization", "Bearer " + users.staff()), 201)).get("productId").asText();
        String order = """
                {"orderId":"%s","customerId":"%s","shippingAddress":{"line1":"1 Harbour Street","city":"Hamburg",
                 "postalCode":"20457","country":"DE"},"lines":[{"productId":"%s","quantity":1}]}"""
                .formatted(UUID.randomUUID(), customer, product);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String traceParent = "00-" + traceId + "-00f067aa0ba902b7-01";
        send(Http.post(service.resolve("/orders"), order, "Authorization", asCustomer), 202);
        // the same order id again: a conflict, which the web layer logs while it answers
        send(Http.post(service.resolve("/orders"), order, "Authorization", asCustomer, "traceparent", traceParent,
                "X-Correlation-Id", "ida-retries-once"), 409);

        JsonNode conflict = await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                .filter(line -> line.path("message").asText().startsWith("answered 409")).findFirst(),
                found -> found.isPresent()).get();
        assertThat(conflict.path("level").asText()).isEqualTo("DEBUG");
        JsonNode mdc = conflict.path("mdc");
        assertThat(mdc.path("traceId").asText()).isEqualTo(traceId);
        assertThat(mdc.path("spanId").asText()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
        assertThat(mdc.path("correlationId").asText()).isEqualTo("ida-retries-once");
    }

    /** The log, each line read as JSON: fails on any line that is not. */
    private static List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : service.log().split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                lines.add(node);
            }
        }
        return lines;
    }

    private static String send(HttpRequest request, int status) throws Exception {
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body();
    }
}
