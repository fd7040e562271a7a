package io.ordersvc.security;

import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.tokens;
import static io.ordersvc.support.Fixtures.address;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.RealmUsers.Person;
import io.ordersvc.stack.SigningKeys;
import io.ordersvc.support.Callers;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Metrics;
import io.ordersvc.support.ProviderTokens;
import io.ordersvc.support.SseClient;
import io.ordersvc.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: every endpoint, REST and SSE (first connection and resume), against every kind
 * of caller, each with a token the stack's identity provider issued (Keycloak, through its password
 * grant). No token, or one that is expired, badly signed, from another realm or for another
 * audience: 401. A role that may not act, or a person with no role at all: 403. Another customer's
 * order, history, list or stream: 404, with the very answer an unknown id gets.
 */
@QuarkusTest
class AccessRulesTest {

    /** The callers of the matrix. OWNER is the customer whose order, list or stream the request names. */
    enum Who {
        NO_TOKEN, EXPIRED, BADLY_SIGNED, OTHER_REALM, OTHER_AUDIENCE, OWNER, OTHER_CUSTOMER, STAFF, ADMIN, NO_ROLES;

        /** Not authenticated: no token, or one the service does not accept. */
        boolean unauthenticated() {
            return compareTo(OWNER) < 0;
        }

        /** Signed in as a customer: its own token from the provider. */
        boolean customer() {
            return this == OWNER || this == OTHER_CUSTOMER;
        }
    }

    /** What one cell of the matrix acts on: made fresh, so that no cell sees another's effects. */
    record Scene(Person ownerPerson, Person otherPerson, UUID product, UUID order) {

        /** The owner's customer id: its subject at the provider. */
        UUID owner() {
            return ownerPerson.id();
        }

        UUID other() {
            return otherPerson.id();
        }
    }

    @TestHTTPResource("/")
    URI base;

    private final Tokens foreign = foreignTokens();
    private final ProviderTokens provider = ProviderTokens.ofTestStack();
    private final String fromAnotherRealm = provider.fromAnotherRealm();
    private final String noRoles = provider.noRoles();
    private final Map<Person, String> expired = new ConcurrentHashMap<>();

    @Test
    void every_endpoint_answers_every_kind_of_caller_as_the_rules_say() {
        Map<String, Function<Cell, Response>> endpoints = new LinkedHashMap<>();
        Map<String, Map<Who, Integer>> expected = new LinkedHashMap<>();
        // the catalog: every signed-in caller reads it; staff and admin manage it
        add(endpoints, expected, "GET /products", c -> c.get("/products"), 200, 200, 200, 200);
        add(endpoints, expected, "GET /products/{id}", c -> c.get("/products/" + c.scene.product()), 200, 200, 200, 200);
        add(endpoints, expected, "POST /products", c -> c.post("/products",
                Map.of("sku", unique("SKU"), "name", "Kettle", "unitPrice", 9.5)), 403, 403, 201, 201);
        add(endpoints, expected, "POST /products/{id}/price", c -> c.post("/products/" + c.scene.product() + "/price",
                Map.of("unitPrice", 4.25)), 403, 403, 202, 202);
        add(endpoints, expected, "POST /products/{id}/discontinue",
                c -> c.post("/products/" + c.scene.product() + "/discontinue", null), 403, 403, 202, 202);
        // customers register themselves
        add(endpoints, expected, "POST /customers", c -> c.register(
                Map.of("name", "New Buyer", "email", unique("new") + "@example.com")), 201, 201, 403, 403);
        // orders: a customer places and changes its own; staff and admin confirm, ship, cancel any
        add(endpoints, expected, "POST /orders", c -> c.post("/orders", Map.of("shippingAddress", address(),
                "lines", List.of(line(c.scene.product(), 1)))), 202, 202, 403, 403);
        add(endpoints, expected, "PUT /orders/{id}/shipping-address",
                c -> c.put("/orders/" + c.scene.order() + "/shipping-address", address()), 202, 404, 403, 403);
        add(endpoints, expected, "POST /orders/{id}/confirm", c -> c.post("/orders/" + c.scene.order() + "/confirm", null),
                403, 403, 202, 202);
        add(endpoints, expected, "POST /orders/{id}/ship", c -> {
            asStaff().post("/orders/" + c.scene.order() + "/confirm"); // 202, or 409 once confirmed
            return c.post("/orders/" + c.scene.order() + "/ship", null);
        }, 403, 403, 202, 202);
        add(endpoints, expected, "POST /orders/{id}/cancel", c -> c.post("/orders/" + c.scene.order() + "/cancel",
                Map.of("reason", "changed my mind")), 202, 404, 202, 202);
        // reads of an order and of a customer's list
        add(endpoints, expected, "GET /orders/{id}", c -> c.get("/orders/" + c.scene.order()), 200, 404, 200, 200);
        add(endpoints, expected, "GET /orders/{id} with X-Min-Version beyond the order's",
                c -> c.request().header("X-Min-Version", "99").get("/orders/" + c.scene.order()), 400, 404, 400, 400);
        add(endpoints, expected, "GET /orders/{id}/history", c -> c.get("/orders/" + c.scene.order() + "/history"),
                200, 404, 200, 200);
        add(endpoints, expected, "GET /customers/{id}/orders", c -> c.get("/customers/" + c.scene.owner() + "/orders"),
                200, 404, 200, 200);
        // staff's queue of orders awaiting shipment, the whole shop's: staff and admin only
        add(endpoints, expected, "GET /staff/orders/awaiting-shipment", c -> c.get("/staff/orders/awaiting-shipment"),
                403, 403, 200, 200);
        add(endpoints, expected, "GET /stats", c -> c.get("/stats"), 403, 403, 200, 200);
        // operators
        add(endpoints, expected, "GET /admin/rebuild", c -> c.get("/admin/rebuild"), 403, 403, 403, 200);
        add(endpoints, expected, "GET /admin/dead-letters", c -> c.get("/admin/dead-letters"), 403, 403, 403, 200);
        add(endpoints, expected, "POST /admin/dead-letters/redrive", c -> c.post("/admin/dead-letters/redrive", null),
                403, 403, 403, 200);

        Scene refusedScene = scene();
        Map<String, Map<Who, Integer>> actual = new LinkedHashMap<>();
        endpoints.forEach((name, call) -> {
            Map<Who, Integer> row = new EnumMap<>(Who.class);
            for (Who who : Who.values()) {
                // a refused caller changes nothing, so one scene serves them all; the others get their own
                Scene scene = who.unauthenticated() ? refusedScene : scene();
                Response response = call.apply(new Cell(who, scene));
                row.put(who, response.statusCode());
                if (response.statusCode() >= 400) {
                    assertThat(response.contentType()).as(name + " as " + who).startsWith("application/problem+json");
                }
            }
            actual.put(name, row);
        });
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void an_admin_may_start_a_rebuild_and_no_one_else_may() {
        Scene scene = scene();
        for (Who who : List.of(Who.NO_TOKEN, Who.EXPIRED, Who.BADLY_SIGNED)) {
            assertThat(new Cell(who, scene).post("/admin/rebuild", null).statusCode()).as(who.name()).isEqualTo(401);
        }
        for (Who who : List.of(Who.OWNER, Who.STAFF)) {
            assertThat(new Cell(who, scene).post("/admin/rebuild", null).statusCode()).as(who.name()).isEqualTo(403);
        }
        // 409 when one runs already: allowed, and refused only for that reason
        assertThat(new Cell(Who.ADMIN, scene).post("/admin/rebuild", null).statusCode()).isIn(202, 409);
    }

    @Test
    void change_streams_admit_at_the_first_connection_and_at_every_resume_only_whom_the_rules_let_in() {
        Map<Who, Integer> orderStream = new EnumMap<>(Who.class);
        Map<Who, Integer> orderResume = new EnumMap<>(Who.class);
        Map<Who, Integer> listStream = new EnumMap<>(Who.class);
        Map<Who, Integer> listResume = new EnumMap<>(Who.class);
        Map<Who, Integer> catalogStream = new EnumMap<>(Who.class);
        Map<Who, Integer> queueStream = new EnumMap<>(Who.class);
        Map<Who, Integer> queueResume = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            Scene scene = scene();
            orderStream.put(who, sseStatus(who, scene, "/orders/" + scene.order() + "/changes", null));
            orderResume.put(who, sseStatus(who, scene, "/orders/" + scene.order() + "/changes", "1"));
            listStream.put(who, sseStatus(who, scene, "/customers/" + scene.owner() + "/orders/changes", null));
            listResume.put(who, sseStatus(who, scene, "/customers/" + scene.owner() + "/orders/changes", "1"));
            catalogStream.put(who, sseStatus(who, scene, "/products/changes", "0"));
            queueStream.put(who, sseStatus(who, scene, "/staff/orders/awaiting-shipment/changes", null));
            queueResume.put(who, sseStatus(who, scene, "/staff/orders/awaiting-shipment/changes", "1"));
        }
        assertThat(orderStream).isEqualTo(row(200, 404, 200, 200));
        assertThat(orderResume).isEqualTo(row(200, 404, 200, 200));
        assertThat(listStream).isEqualTo(row(200, 404, 200, 200));
        assertThat(listResume).isEqualTo(row(200, 404, 200, 200));
        assertThat(catalogStream).isEqualTo(row(200, 200, 200, 200));
        assertThat(queueStream).isEqualTo(row(403, 403, 200, 200));
        assertThat(queueResume).isEqualTo(row(403, 403, 200, 200));
    }

    @Test
    void another_customers_order_gets_the_very_answer_an_unknown_order_gets() {
        Scene scene = scene();
        UUID unknown = UUID.randomUUID();
        for (String path : List.of("/orders/%s", "/orders/%s/history")) {
            JsonPath theirs = new Cell(Who.OTHER_CUSTOMER, scene).request().get(String.format(path, scene.order()))
                    .then().statusCode(404).extract().jsonPath();
            JsonPath none = new Cell(Who.OTHER_CUSTOMER, scene).request().get(String.format(path, unknown))
                    .then().statusCode(404).extract().jsonPath();
            assertThat(theirs.getMap("").keySet()).isEqualTo(none.getMap("").keySet());
            assertThat(theirs.getString("detail").replace(scene.order().toString(), "ID"))
                    .isEqualTo(none.getString("detail").replace(unknown.toString(), "ID"));
        }
        // nor does a command on it reveal it exists
        String cancelTheirs = new Cell(Who.OTHER_CUSTOMER, scene).request().contentType(ContentType.JSON).body(Map.of("reason", "x"))
                .post("/orders/" + scene.order() + "/cancel").then().statusCode(404).extract().jsonPath().getString("detail");
        String cancelNone = new Cell(Who.OTHER_CUSTOMER, scene).request().contentType(ContentType.JSON).body(Map.of("reason", "x"))
                .post("/orders/" + unknown + "/cancel").then().statusCode(404).extract().jsonPath().getString("detail");
        assertThat(cancelTheirs.replace(scene.order().toString(), "ID")).isEqualTo(cancelNone.replace(unknown.toString(), "ID"));
        // and the order is as it was
        asStaff().get("/orders/" + scene.order()).then().statusCode(200)
                .body("status", equalTo("PLACED"));
    }

    @Test
    void a_customer_places_orders_only_for_itself_whatever_the_body_says() {
        Scene scene = scene();
        Map<String, Object> forTheOwner = Map.of("customerId", scene.owner().toString(), "shippingAddress", address(),
                "lines", List.of(line(scene.product(), 1)));
        new Cell(Who.OTHER_CUSTOMER, scene).request().contentType(ContentType.JSON).body(forTheOwner).post("/orders")
                .then().statusCode(403).contentType("application/problem+json")
                .body("errors[0].field", equalTo("customerId"));
        String placed = new Cell(Who.OTHER_CUSTOMER, scene).request().contentType(ContentType.JSON)
                .body(Map.of("shippingAddress", address(), "lines", List.of(line(scene.product(), 1))))
                .post("/orders").then().statusCode(202).extract().path("orderId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(asStaff().get("/orders/" + placed)
                .then().statusCode(200).extract().jsonPath().getString("customer.customerId"))
                .isEqualTo(scene.other().toString()));
    }

    @Test
    void a_customers_stream_carries_only_its_own_orders_changes() {
        UUID mine = customer("Lise Meitner");
        UUID theirs = customer("Otto Hahn");
        UUID tea = product("Tea", "3.00");
        try (SseClient stream = SseClient.connect(Callers.bearer(mine),
                base.resolve("/customers/" + mine + "/orders/changes?lastEventId=0"))) {
            Fixtures.order(theirs, tea, 1);
            UUID own = Fixtures.order(mine, tea, 1);
            Fixtures.order(theirs, tea, 2);
            await().atMost(SseClient.timeout()).until(() -> stream.events("OrderPlaced").size() >= 1);
            Fixtures.order(mine, tea, 3);
            await().atMost(SseClient.timeout()).until(() -> stream.events("OrderPlaced").size() >= 2);
            assertThat(stream.events()).allSatisfy(e -> assertThat(e.data()).doesNotContain(theirs.toString()));
            assertThat(stream.events().get(0).data()).contains(own.toString());
        }
    }

    @Test
    void idempotency_keys_are_the_callers_own() {
        Scene scene = scene();
        String key = unique("key");
        Map<String, Object> body = Map.of("shippingAddress", address(), "lines", List.of(line(scene.product(), 1)));
        String first = asCustomer(scene.owner()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/orders").then().statusCode(202).extract().path("orderId");
        // another customer with the same key places an order of its own, and learns nothing of the first
        String second = asCustomer(scene.other()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/orders").then().statusCode(202).extract().path("orderId");
        assertThat(second).isNotEqualTo(first);
        // while the owner's retry gets its own answer again
        assertThat(asCustomer(scene.owner()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/orders").then().statusCode(202).extract().<String>path("orderId")).isEqualTo(first);
    }

    @Test
    void refusals_for_want_of_a_token_say_so_in_problem_json_and_ask_for_a_bearer_token() {
        given().get("/products").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
        given().header("Authorization", "Bearer not-a-token").get("/products").then().statusCode(401)
                .contentType("application/problem+json");
        asCustomer(UUID.randomUUID()).get("/stats").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void the_web_ui_and_health_need_no_token() {
        given().get("/").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void a_token_is_verified_once_and_an_expired_one_is_never_taken_for_a_verified_one() {
        UUID buyer = customer("Rosalind Franklin");
        String token = tokens().customer(buyer);
        double checked = tokenCount("checked");
        double reused = tokenCount("reused");
        for (int i = 0; i < 3; i++) {
            bearer(token).get("/customers/" + buyer + "/orders").then().statusCode(200);
        }
        assertThat(tokenCount("checked") - checked).isEqualTo(1.0);
        assertThat(tokenCount("reused") - reused).isEqualTo(2.0);
        // a token past its expiry is refused every time, verified before or not
        String expired = tokens().token(buyer.toString(), List.of("customer"), Duration.ofSeconds(-120));
        for (int i = 0; i < 2; i++) {
            bearer(expired).get("/customers/" + buyer + "/orders").then().statusCode(401);
        }
    }

    private static double tokenCount(String verification) {
        return Metrics.sum(Metrics.scrape(), "ordersvc_security_tokens_total",
                series -> series.contains("verification=\"" + verification + "\""));
    }

    // --- the matrix's parts ---

    private static void add(Map<String, Function<Cell, Response>> endpoints, Map<String, Map<Who, Integer>> expected,
            String name, Function<Cell, Response> call, int owner, int other, int staff, int admin) {
        endpoints.put(name, call);
        expected.put(name, row(owner, other, staff, admin));
    }

    private static Map<Who, Integer> row(int owner, int other, int staff, int admin) {
        Map<Who, Integer> row = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            if (who.unauthenticated()) {
                row.put(who, 401);
            }
        }
        row.put(Who.OWNER, owner);
        row.put(Who.OTHER_CUSTOMER, other);
        row.put(Who.STAFF, staff);
        row.put(Who.ADMIN, admin);
        row.put(Who.NO_ROLES, 403);
        return row;
    }

    /** A customer with an order of a product, and another customer: people of the provider's realm. */
    private Scene scene() {
        Person owner = registered("Owner");
        Person other = registered("Other");
        UUID product = UUID.fromString(bearer(provider.staff()).contentType(ContentType.JSON)
                .body(Map.of("sku", unique("SKU"), "name", "Teapot", "unitPrice", 20.0))
                .post("/products").then().statusCode(201).extract().path("productId"));
        UUID order = UUID.fromString(bearer(provider.token(owner)).contentType(ContentType.JSON)
                .body(Map.of("shippingAddress", address(), "lines", List.of(line(product, 1))))
                .post("/orders").then().statusCode(202).extract().path("orderId"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> asStaff().get("/orders/" + order).statusCode() == 200);
        return new Scene(owner, other, product, order);
    }

    /** A new person of the realm, registered as a customer with its own token: its id is its subject. */
    private Person registered(String name) {
        Person person = provider.newCustomer(name);
        bearer(provider.token(person)).contentType(ContentType.JSON)
                .body(Map.of("name", name, "email", unique("buyer") + "@example.com"))
                .post("/customers").then().statusCode(201).body("customerId", equalTo(person.id().toString()));
        return person;
    }

    /** One cell of the matrix: a kind of caller, on its scene. */
    private final class Cell {

        final Who who;
        final Scene scene;

        Cell(Who who, Scene scene) {
            this.who = who;
            this.scene = scene;
        }

        RequestSpecification request() {
            return bearerOrNone(switch (who) {
                case NO_TOKEN -> null;
                case EXPIRED -> expired.computeIfAbsent(scene.ownerPerson(), provider::expired);
                case BADLY_SIGNED -> foreign.customer(scene.owner());
                case OTHER_REALM -> fromAnotherRealm;
                case OTHER_AUDIENCE -> provider.forAnotherAudience(scene.ownerPerson());
                case OWNER -> provider.token(scene.ownerPerson());
                case OTHER_CUSTOMER -> provider.token(scene.otherPerson());
                case STAFF -> provider.staff();
                case ADMIN -> provider.admin();
                case NO_ROLES -> noRoles;
            });
        }

        /** The Authorization header this caller sends, or null. */
        String authorization() {
            return ((FilterableRequestSpecification) request()).getHeaders().getValue("Authorization");
        }

        Response get(String path) {
            return request().get(path);
        }

        Response post(String path, Object body) {
            return body == null ? request().post(path) : request().contentType(ContentType.JSON).body(body).post(path);
        }

        Response put(String path, Object body) {
            return request().contentType(ContentType.JSON).body(body).put(path);
        }

        /** POST /customers: a customer registers itself, so both customers come as new, unregistered people. */
        Response register(Object body) {
            RequestSpecification spec = who.customer() ? bearer(provider.token(provider.newCustomer("Newcomer"))) : request();
            return spec.contentType(ContentType.JSON).body(body).post("/customers");
        }
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static RequestSpecification bearerOrNone(String token) {
        return token == null ? given() : bearer(token);
    }

    private int sseStatus(Who who, Scene scene, String path, String lastEventId) {
        try (SseClient client = SseClient.connect(new Cell(who, scene).authorization(), base.resolve(path), lastEventId)) {
            return client.status();
        }
    }

    private static Tokens foreignTokens() {
        try {
            return Tokens.unpublished(SigningKeys.in(Files.createTempDirectory("foreign-keys")), tokens().issuer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
