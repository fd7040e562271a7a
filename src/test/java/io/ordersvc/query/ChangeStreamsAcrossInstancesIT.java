package io.ordersvc.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.support.Http;
import io.ordersvc.support.PackagedService;
import io.ordersvc.support.SseClient;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged service on different ports share one stack: instance A runs every
 * role, instance B only serves queries. A change projected by A reaches the SSE clients of both,
 * and B closes its streams cleanly when it is asked to stop. Callers are people of this stack's
 * realm, with tokens from its identity provider (the dev password grant).
 */
class ChangeStreamsAcrossInstancesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static PackagedService a;
    private static PackagedService b;
    private static RealmUsers users;

    @BeforeAll
    static void twoInstancesOnOneStack() {
        stack = LocalStack.fresh(Path.of("target/stack-it"), LocalStack.defaultDist());
        stack.up();
        users = stack.users();
        Map<String, String> env = stack.productionEnvironment();
        a = PackagedService.start("instance-a", env);
        Map<String, String> queriesOnly = new HashMap<>(env);
        queriesOnly.put("ORDERSVC_ROLES_COMMAND", "false");
        queriesOnly.put("ORDERSVC_ROLES_RELAY", "false");
        queriesOnly.put("ORDERSVC_ROLES_PROJECTOR", "false");
        b = PackagedService.start("instance-b", queriesOnly);
    }

    @AfterAll
    static void down() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void a_change_projected_by_one_instance_reaches_the_clients_of_every_instance() throws Exception {
        RealmUsers.Person lise = users.newCustomer("Lise Meitner");
        UUID buyer = lise.id();
        String asBuyer = bearer(users.token(lise));
        assertThat(create(a.resolve("/customers"), asBuyer, "{\"name\":\"Lise Meitner\",\"email\":\"lise-" + buyer
                + "@example.com\"}", "customerId")).isEqualTo(buyer);
        UUID product = create(a.resolve("/products"), bearer(users.staff()), "{\"sku\":\"FOIL-"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"Gold foil\",\"unitPrice\":2.50}", "productId");
        String changes = "/customers/" + buyer + "/orders/changes?lastEventId=0";
        try (SseClient onA = SseClient.connect(asBuyer, a.resolve(changes));
                SseClient onB = SseClient.connect(asBuyer, b.resolve(changes))) {
            assertThat(onB.status()).isEqualTo(200);
            UUID order = create(a.resolve("/orders"), asBuyer, "{\"customerId\":\"" + buyer + "\",\"shippingAddress\":{"
                    + "\"line1\":\"1 Harbour Street\",\"city\":\"Hamburg\",\"postalCode\":\"20457\",\"country\":\"DE\"},"
                    + "\"lines\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}", "orderId");

            for (SseClient client : new SseClient[] {onA, onB}) {
                await().atMost(Duration.ofSeconds(15)).until(() -> !client.events().isEmpty());
                SseClient.Event placed = client.events().get(0);
                assertThat(placed.id()).isEqualTo("1");
                assertThat(placed.name()).isEqualTo("OrderPlaced");
                assertThat(JsonPath.from(placed.data()).getString("orderId")).isEqualTo(order.toString());
            }
        }
        // B serves no commands: its role is queries only (a caller who may register is turned away all the same)
        RealmUsers.Person newcomer = users.newCustomer("X");
        HttpRequest register = Http.post(b.resolve("/customers"), "{\"name\":\"X\",\"email\":\"x-" + newcomer.id() + "@example.com\"}",
                "Authorization", bearer(users.token(newcomer)));
        assertThat(HTTP.send(register, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void an_instance_asked_to_stop_ends_its_streams_cleanly() throws Exception {
        PackagedService c = PackagedService.start("instance-c", stack.productionEnvironment());
        // a shopper following the catalog
        try (SseClient client = SseClient.connect(bearer(users.token(users.newCustomer("Shopper"))), c.resolve("/products/changes"))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(c.stop(Duration.ofSeconds(20))).as("stopped within 20 s").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.end() != SseClient.End.OPEN);
            assertThat(client.end()).isEqualTo(SseClient.End.CLEAN);
        } finally {
            c.close();
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static UUID create(URI uri, String authorization, String json, String idField) throws Exception {
        HttpResponse<String> answer = HTTP.send(Http.post(uri, json, "Authorization", authorization),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        return UUID.fromString(JsonPath.from(answer.body()).getString(idField));
    }
}
