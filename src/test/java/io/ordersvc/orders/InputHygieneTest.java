package io.ordersvc.orders;

import static io.ordersvc.support.Callers.as;
import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Callers.staffBearer;
import static io.ordersvc.support.Callers.tokens;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.ordersvc.fuzz.FuzzClient;
import io.ordersvc.fuzz.RequestFuzzer;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.WriteModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input hygiene to the last byte: a control character in any text field of any command, a number or
 * a boolean where text is due (or text where a number is), a malformed header or parameter: each is
 * a 400 problem+json naming the field, header or parameter, and nothing is written. Each request is
 * sent by a caller who may send it, so that what refuses it is the check of its input.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputHygieneTest {

    /** Every non-ASCII character escaped, so that half a surrogate pair travels as {@code \ud800}. */
    private static final ObjectWriter JSON = new ObjectMapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool primary;

    UUID customer;
    UUID product;
    UUID order;

    @BeforeEach
    void anOrderToChange() {
        customer = customer("Grace Hopper");
        product = product("Compiler", "120.00");
        order = Fixtures.order(customer, product, 1);
    }

    /** A command with a valid body, the text fields of that body, and the token of a caller who may send it. */
    private record Command(String name, String method, String path, Map<String, Object> body, List<String> textFields,
            String token) {
    }

    private List<Command> commands() {
        Map<String, Object> address = Fixtures.address();
        return List.of(
                new Command("RegisterCustomer", "POST", "/customers",
                        Map.of("name", "Ada", "email", Fixtures.unique("ada") + "@example.com"), List.of("name", "email"),
                        tokens().customer(UUID.randomUUID())),
                new Command("AddProduct", "POST", "/products",
                        Map.of("sku", Fixtures.unique("SKU"), "name", "Loom", "unitPrice", 10), List.of("sku", "name"),
                        tokens().staff()),
                new Command("PlaceOrder", "POST", "/orders", Fixtures.placeOrder(customer, List.of(Fixtures.line(product, 1))),
                        List.of("shippingAddress.line1", "shippingAddress.city", "shippingAddress.postalCode",
                                "shippingAddress.country"), tokens().customer(customer)),
                new Command("ChangeShippingAddress", "PUT", "/orders/" + order + "/shipping-address", address,
                        List.of("line1", "city", "postalCode", "country"), tokens().customer(customer)),
                new Command("CancelOrder", "POST", "/orders/" + order + "/cancel", Map.of("reason", "changed my mind"),
                        List.of("reason"), tokens().customer(customer)));
    }

    static Stream<Arguments> forbiddenCharacters() {
        return Stream.of("\u0000", "\u0001", "\t", "\n", "\u007f", "\u0085", "\u2028", "\udfff").map(c -> Arguments.of(String.format("U+%04X", (int) c.charAt(0)), c));
    }

    @ParameterizedTest(name = "{0} in any text field of any command is a 400 naming the field, and nothing is written")
    @MethodSource("forbiddenCharacters")
    void a_control_character_in_a_text_field_is_refused_and_writes_nothing(String name, String character) throws Exception {
        for (Command command : commands()) {
            for (String field : command.textFields()) {
                ObjectNode body = new ObjectMapper().valueToTree(command.body());
                ObjectNode parent = field.contains(".") ? (ObjectNode) body.get(field.substring(0, field.indexOf('.'))) : body;
                String leaf = field.substring(field.indexOf('.') + 1);
                parent.put(leaf, "a" + character + parent.get(leaf).asText());

                refusedAndNothingWritten(command, JSON.writeValueAsString(body), field);
            }
        }
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("a number as a cancellation reason", "cancel", "reason", "12.345"),
                Arguments.of("a whole number as a cancellation reason", "cancel", "reason", "12"),
                Arguments.of("a boolean as a cancellation reason", "cancel", "reason", "true"),
                Arguments.of("a list as a cancellation reason", "cancel", "reason", "[\"x\"]"),
                Arguments.of("an object as a cancellation reason", "cancel", "reason", "{\"text\":\"x\"}"),
                Arguments.of("a number as a customer's name", "customer", "name", "42"),
                Arguments.of("a boolean as an email", "customer", "email", "false"),
                Arguments.of("a number as a SKU", "product", "sku", "1234"),
                Arguments.of("text as a price", "product", "unitPrice", "\"12.50\""),
                Arguments.of("a boolean as a price", "product", "unitPrice", "true"),
                Arguments.of("a price beyond what a long's digits count", "product", "unitPrice", "1e2147483647"),
                Arguments.of("a price of 40 digits", "product", "unitPrice", "1234567890123456789012345678901234567890"),
                Arguments.of("a number as a country", "address", "country", "12"),
                Arguments.of("a fraction as a quantity", "order", "lines[0].quantity", "1.5"),
                Arguments.of("a whole number written as a fraction as a quantity", "order", "lines[0].quantity", "2.0"),
                Arguments.of("a quantity of 2^63", "order", "lines[0].quantity", "9223372036854775808"),
                Arguments.of("text as a quantity", "order", "lines[0].quantity", "\"2\""),
                Arguments.of("a boolean as a quantity", "order", "lines[0].quantity", "true"),
                Arguments.of("a number as a customer id", "order", "customerId", "12"),
                Arguments.of("an empty order id", "order", "orderId", "\"\""),
                Arguments.of("an empty shipping address", "order", "shippingAddress", "\"\""),
                Arguments.of("an object as the lines", "order", "lines", "{}"));
    }

    @ParameterizedTest(name = "{0} is a 400 naming {2}, and nothing is written")
    @MethodSource("wrongTypes")
    void a_value_of_the_wrong_type_is_not_coerced_and_writes_nothing(String what, String kind, String field, String json)
            throws Exception {
        Command command = switch (kind) {
            case "customer" -> commands().get(0);
            case "product" -> commands().get(1);
            case "order" -> commands().get(2);
            case "address" -> commands().get(3);
            default -> commands().get(4);
        };
        ObjectNode body = new ObjectMapper().valueToTree(command.body());
        if (field.equals("lines[0].quantity")) {
            ((ObjectNode) body.get("lines").get(0)).putRawValue("quantity", new RawValue(json));
        } else {
            body.putRawValue(field, new RawValue(json));
        }

        refusedAndNothingWritten(command, JSON.writeValueAsString(body), field);
    }

    @Test
    void an_id_in_a_body_with_anything_around_it_is_a_400_naming_the_field_not_trimmed_away() throws Exception {
        for (String id : List.of("\u0000" + customer, " " + customer, customer + "\n", customer.toString().substring(1))) {
            ObjectNode body = new ObjectMapper().valueToTree(Fixtures.placeOrder(customer, List.of(Fixtures.line(product, 1))));
            body.put("customerId", id);
            refusedAndNothingWritten(commands().get(2), JSON.writeValueAsString(body), "customerId");
        }
    }

    @Test
    void a_nul_written_as_an_overlong_utf8_sequence_is_refused_like_any_nul() {
        byte[] reason = {'{', '"', 'r', 'e', 'a', 's', 'o', 'n', '"', ':', '"', 'n', 'o', (byte) 0xC0, (byte) 0x80, '"', '}'};
        Map<String, Long> before = WriteModel.fingerprint(primary);

        asCustomer(customer).contentType(ContentType.JSON).body(reason).post("/orders/" + order + "/cancel").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("reason"));
        assertThat(WriteModel.fingerprint(primary)).isEqualTo(before);
    }

    @Test
    void an_id_written_with_a_short_group_names_no_order() {
        // UUID.fromString reads "00042-…" as "00000042-…"; only the canonical form names the order
        UUID leadingZeros = UUID.fromString("00000042-" + UUID.randomUUID().toString().substring(9));
        Map<String, Object> placing = new java.util.HashMap<>(Fixtures.placeOrder(customer, List.of(Fixtures.line(product, 1))));
        placing.put("orderId", leadingZeros.toString());
        asCustomer(customer).contentType(ContentType.JSON).body(placing).post("/orders").then().statusCode(202);
        String shortened = leadingZeros.toString().substring(3);
        Map<String, Long> before = WriteModel.fingerprint(primary);

        // staff, who may confirm and read any order, find none by this id
        asStaff().post("/orders/" + shortened + "/confirm").then().statusCode(404).contentType("application/problem+json");
        asStaff().get("/orders/" + shortened + "/history").then().statusCode(404);
        assertThat(WriteModel.fingerprint(primary)).isEqualTo(before);
    }

    static Stream<Arguments> notQuiteJson() {
        return Stream.of(
                Arguments.of("a key given twice", "{\"reason\":\"one\",\"reason\":\"two\"}"),
                Arguments.of("something after the command", "{\"reason\":\"one\"} {\"reason\":\"two\"}"),
                Arguments.of("a comment after the command", "{\"reason\":\"one\"}/* x */"));
    }

    @ParameterizedTest(name = "a cancellation with {0} is a 400, and the order stays as it was")
    @MethodSource("notQuiteJson")
    void a_body_that_is_not_exactly_one_json_value_is_refused(String what, String body) {
        refusedAndNothingWritten(commands().get(4), body, "body");
    }

    @Test
    void a_body_sent_to_a_command_that_takes_none_is_a_400_naming_it_and_writes_nothing() {
        String body = "{\"reason\":\"what the client means by it would be lost\"}";
        for (Command command : List.of(
                new Command("ConfirmOrder", "POST", "/orders/" + order + "/confirm", null, List.of(), tokens().staff()),
                new Command("ShipOrder", "POST", "/orders/" + order + "/ship", null, List.of(), tokens().staff()),
                new Command("DiscontinueProduct", "POST", "/products/" + product + "/discontinue", null, List.of(),
                        tokens().staff()))) {
            refusedAndNothingWritten(command, body, "body");
        }
        // labelled JSON but empty, as clients that label every request send it: no body, and taken
        asStaff().contentType(ContentType.JSON).post("/orders/" + order + "/confirm").then().statusCode(202);
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of("Idempotency-Key", "k".repeat(201)),
                Arguments.of("Idempotency-Key", ""),
                Arguments.of("Idempotency-Key", "   "),
                Arguments.of("Idempotency-Key", "clé-" + UUID.randomUUID()),
                Arguments.of("Idempotency-Key", UUID.randomUUID() + "\u0085"),
                Arguments.of("X-Correlation-Id", "c".repeat(65)),
                Arguments.of("X-Correlation-Id", "trace-é"),
                Arguments.of("If-Match", "\"1\" junk"),
                Arguments.of("If-Match", "\"" + "9".repeat(3000) + "\""),
                Arguments.of("If-Match", "\"+1\""));
    }

    @ParameterizedTest(name = "{0}: {1} on a confirmation is a 400 naming {0}, and the order stays as it was")
    @MethodSource("badHeaders")
    void a_malformed_command_header_is_refused_and_writes_nothing(String header, String value) {
        Map<String, Long> before = WriteModel.fingerprint(primary);

        // one byte a character, as HTTP/1.1 carries header values
        Response response = sendRaw(staffBearer(), "POST", "/orders/" + order + "/confirm", header, value);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field", String.class)).contains(header);
        assertThat(WriteModel.fingerprint(primary)).isEqualTo(before);
        asCustomer(customer).get("/orders/" + order + "/history").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void a_version_beyond_what_the_order_has_reached_is_a_400_at_once_not_a_two_second_wait() {
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(customer).get("/orders/" + order).statusCode() == 200);
        for (String version : List.of("2", "999999999999", "999999999999999999")) {
            long t0 = System.nanoTime();
            asCustomer(customer).header("X-Min-Version", version).get("/orders/" + order).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("X-Min-Version"))
                    .body("version", equalTo(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
        }
        asCustomer(customer).header("X-Min-Version", "1").get("/orders/" + order).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void a_version_of_an_order_that_does_not_exist_is_a_404_at_once() {
        long t0 = System.nanoTime();
        asStaff().header("X-Min-Version", "3").get("/orders/" + UUID.randomUUID()).then().statusCode(404);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
    }

    static Stream<Arguments> badReadParameters() {
        return Stream.of(
                Arguments.of("/orders/{order}", "X-Min-Version", "+1", "X-Min-Version"),
                Arguments.of("/orders/{order}", "X-Min-Version", "9223372036854775807", "X-Min-Version"),
                Arguments.of("/orders/{order}", "X-Min-Version", "١", "X-Min-Version"),
                Arguments.of("/orders/{order}/changes", "Last-Event-ID", "+1", "Last-Event-ID"),
                Arguments.of("/orders/{order}/changes", "Last-Event-ID", "99999999999999999999", "Last-Event-ID"),
                Arguments.of("/orders/{order}/changes?lastEventId=%2B1", null, null, "lastEventId"),
                Arguments.of("/products/changes?lastEventId=%D9%A1", null, null, "lastEventId"),
                Arguments.of("/customers/{customer}/orders?limit=0", null, null, "limit"),
                Arguments.of("/customers/{customer}/orders?limit=abc", null, null, "limit"),
                Arguments.of("/products?limit=101", null, null, "limit"),
                Arguments.of("/products?cursor=not-a-cursor", null, null, "cursor"),
                Arguments.of("/products?cursor=%00", null, null, "cursor"),
                Arguments.of("/stats?days=367", null, null, "days"),
                Arguments.of("/stats?days=2147483648", null, null, "days"));
    }

    @ParameterizedTest(name = "GET {0} with {1}: {2} is a 400 naming {3}")
    @MethodSource("badReadParameters")
    void a_malformed_read_parameter_is_a_400_naming_it(String path, String header, String value, String named) {
        // the sales figures are staff's; everything else here the customer reads
        String caller = path.startsWith("/stats") ? staffBearer() : bearer(customer);
        Response response = sendRaw(caller, "GET",
                path.replace("{order}", order.toString()).replace("{customer}", customer.toString()), header, value);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field", String.class)).contains(named);
    }

    @Test
    void an_id_that_is_not_a_uuid_is_a_4xx_problem() {
        for (String path : List.of("/orders/not-a-uuid", "/orders/%00/history", "/products/123", "/customers/x/orders")) {
            Response response = sendRaw(bearer(customer), "GET", path, null, null);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void a_target_that_is_not_a_uri_is_refused_by_the_http_server_before_the_service_reads_it() {
        // Quarkus checks the target with java.net.URI first, and answers a bare 400
        for (String target : List.of("/products?limit=%zz", "/orders/%zz/changes", "/admin/dead-letters?topic=%")) {
            assertThat(sendRaw("Bearer " + tokens().admin(), "GET", target, null, null).statusCode()).as(target).isEqualTo(400);
        }
    }

    @Test
    void a_redrive_of_a_topic_without_a_name_is_refused_rather_than_a_redrive_of_every_topic() {
        asAdmin().post("/admin/dead-letters/redrive?topic=").then().statusCode(404).contentType("application/problem+json")
                .body("errors.field", hasItem("topic"));
    }

    private void refusedAndNothingWritten(Command command, String body, String field) {
        Map<String, Long> before = WriteModel.fingerprint(primary);

        RequestSpecification request = as(command.token()).contentType(ContentType.JSON.withCharset(StandardCharsets.UTF_8))
                .body(body.getBytes(StandardCharsets.UTF_8));
        Response response = command.method().equals("PUT") ? request.put(command.path()) : request.post(command.path());

        assertThat(response.statusCode()).as("%s with %s", command.name(), body).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field", String.class)).as("%s with %s", command.name(), body)
                .contains(field);
        assertThat(WriteModel.fingerprint(primary)).as("the write model after %s", command.name()).isEqualTo(before);
    }

    /** A request as its bytes, so that what the test means is what the service gets; {@code authorization} is sent as it is. */
    private Response sendRaw(String authorization, String method, String target, String header, String value) {
        List<RequestFuzzer.Header> headers = new ArrayList<>();
        headers.add(new RequestFuzzer.Header("Authorization", authorization));
        if (header != null) {
            headers.add(new RequestFuzzer.Header(header, new String(value.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1)));
        }
        FuzzClient.Outcome outcome = new FuzzClient(base, Duration.ofSeconds(10)).send(new RequestFuzzer.Request(0, "test",
                List.of("test"), method, target, headers, null, false));
        assertThat(outcome.error()).isNull();
        return new io.restassured.builder.ResponseBuilder().setStatusCode(outcome.status())
                .setContentType(outcome.contentType()).setBody(new String(outcome.body(), StandardCharsets.UTF_8)).build();
    }
}
