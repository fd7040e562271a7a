package io.ordersvc.security;

import static io.ordersvc.support.Fixtures.address;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.stack.SigningKeys;
import io.ordersvc.support.Metrics;
import io.ordersvc.support.Tokens;
import io.ordersvc.stack.RealmUsers.Person;
import io.ordersvc.support.ProviderTokens;
import io.ordersvc.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service as a resource server of a real OIDC provider (the stack's Keycloak): it takes the
 * provider's keys from its JWKS by kid, lives through their rotation without a restart, and knows a
 * customer by the subject the provider gives it. The test profile keeps a fetched key 2 seconds
 * ({@code quarkus.oidc.jwks.cache-time-to-live}); production keeps it 10 minutes.
 */
@QuarkusTest
class IdentityProviderTest {

    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]+)\"");

    @TestHTTPResource("/")
    URI base;

    private final ProviderTokens provider = ProviderTokens.ofTestStack();
    private final RealmUsers users = provider.users();

    @Test
    void a_person_signed_in_at_the_provider_is_the_customer_its_subject_names() {
        Person ada = provider.newCustomer("Ada");
        String token = provider.token(ada);
        bearer(token).contentType(ContentType.JSON).body(Map.of("name", "Ada", "email", unique("ada") + "@example.com"))
                .post("/customers").then().statusCode(201).body("customerId", equalTo(ada.id().toString()));
        UUID product = product();
        String order = bearer(token).contentType(ContentType.JSON)
                .body(Map.of("shippingAddress", address(), "lines", List.of(line(product, 2))))
                .post("/orders").then().statusCode(202).extract().path("orderId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> bearer(token).get("/orders/" + order)
                .then().statusCode(200).body("customer.customerId", equalTo(ada.id().toString())));
    }

    @Test
    void a_key_the_provider_adds_is_taken_at_its_first_token_and_a_key_it_removes_is_refused_without_a_restart() {
        Person grace = provider.newCustomer("Grace");
        String before = provider.token(grace);
        bearer(before).get("/products").then().statusCode(200);

        // the provider rotates: a new key, above the realm's own, signs every token from now on
        String realmId = users.admin("GET", "", null, 200).body().replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        String location = users.admin("POST", "/components", """
                {"name": "%s", "providerId": "rsa-generated", "providerType": "org.keycloak.keys.KeyProvider",
                 "parentId": "%s", "config": {"priority": ["500"], "keySize": ["2048"], "algorithm": ["RS256"]}}"""
                .formatted(unique("rotated"), realmId), 201).headers().firstValue("Location").orElseThrow();
        String component = location.substring(location.lastIndexOf('/') + 1);
        try {
            String signedByTheNewKey = provider.token(grace);
            assertThat(kid(signedByTheNewKey)).isNotEqualTo(kid(before));
            bearer(signedByTheNewKey).get("/products").then().statusCode(200);
            // tokens of the new key that the service has not seen yet, one for each look after the key is gone
            // (a token it has verified once is kept, up to ordersvc.security.verified-token-ttl)
            Deque<String> notYetSeen = new ArrayDeque<>();
            for (int i = 0; i < 40; i++) {
                notYetSeen.add(provider.token(grace));
            }
            assertThat(kid(notYetSeen.peek())).isEqualTo(kid(signedByTheNewKey));

            users.admin("DELETE", "/components/" + component, null, 204);
            component = null;
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(400))
                    .untilAsserted(() -> bearer(notYetSeen.pop()).get("/products").then().statusCode(401));
            // while tokens of the key that remains are taken as before
            String after = provider.token(grace);
            assertThat(kid(after)).isEqualTo(kid(before));
            bearer(after).get("/products").then().statusCode(200);
        } finally {
            if (component != null) {
                users.admin("DELETE", "/components/" + component, null, 204);
            }
        }
    }

    @Test
    void a_forged_token_sent_again_and_again_costs_the_provider_one_key_look_up() throws Exception {
        Tokens forger = Tokens.unpublished(SigningKeys.in(Files.createTempDirectory("forger-keys")), users.issuer());
        double lookedUp = tokenCount("checked");
        double refusedUnseen = tokenCount("unknown-key-refused");
        for (int i = 0; i < 10; i++) {
            bearer(forger.customer(UUID.randomUUID())).get("/products").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        assertThat(tokenCount("checked") - lookedUp).isEqualTo(1.0);
        assertThat(tokenCount("unknown-key-refused") - refusedUnseen).isEqualTo(9.0);
        // while the provider's own tokens are taken as before
        bearer(provider.staff()).get("/products").then().statusCode(200);
    }

    @Test
    void while_the_provider_is_down_a_token_verified_before_is_still_taken_and_new_ones_are_once_it_is_back() {
        Person kim = provider.newCustomer("Kim");
        String seen = provider.token(kim);
        bearer(seen).get("/products").then().statusCode(200);
        LocalStack stack = LocalStack.forTests();
        stack.stop(LocalStack.KEYCLOAK);
        try {
            bearer(seen).get("/products").then().statusCode(200);
        } finally {
            stack.start(LocalStack.KEYCLOAK);
        }
        bearer(provider.token(kim)).get("/products").then().statusCode(200);
    }

    @Test
    void a_bearer_token_that_is_no_compact_jwt_is_refused_as_any_bad_token_is() {
        for (String garbage : List.of(".", "a.", "..", "a.b", "a.b.", "a.b.c.d", "a b.c.d", "e30.e30.%%")) {
            bearer(garbage).get("/products").then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer");
        }
    }

    @Test
    void tokens_the_provider_issued_but_not_for_this_service_are_refused() {
        Person someone = provider.newCustomer("Someone");
        bearer(provider.fromAnotherRealm()).get("/products").then().statusCode(401)
                .contentType("application/problem+json");
        bearer(provider.forAnotherAudience(someone)).get("/products").then().statusCode(401)
                .contentType("application/problem+json");
        bearer(provider.expired(someone)).get("/products").then().statusCode(401)
                .contentType("application/problem+json");
        bearer(provider.noRoles()).get("/products").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void a_customer_resumes_its_stream_with_a_renewed_token_and_misses_nothing() {
        Person lin = provider.newCustomer("Lin");
        String first = provider.token(lin);
        bearer(first).contentType(ContentType.JSON).body(Map.of("name", "Lin", "email", unique("lin") + "@example.com"))
                .post("/customers").then().statusCode(201);
        UUID product = product();
        String order = place(first, product);
        URI stream = base.resolve("/customers/" + lin.id() + "/orders/changes?lastEventId=0");
        String lastSeen;
        try (SseClient client = SseClient.connect("Bearer " + first, stream)) {
            await().atMost(SseClient.timeout()).until(() -> client.events("OrderPlaced").size() == 1);
            lastSeen = client.events().get(client.events().size() - 1).id();
        }
        // while away: another order, and the session renewed at the provider (a new token)
        String second = place(first, product);
        String renewed = provider.token(lin);
        assertThat(renewed).isNotEqualTo(first);
        try (SseClient client = SseClient.connect("Bearer " + renewed,
                base.resolve("/customers/" + lin.id() + "/orders/changes"), lastSeen)) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(SseClient.timeout()).until(() -> client.events("OrderPlaced").size() == 1);
            assertThat(client.events("OrderPlaced").get(0).data()).contains(second).doesNotContain(order);
        }
    }

    private String place(String token, UUID product) {
        return bearer(token).contentType(ContentType.JSON)
                .body(Map.of("shippingAddress", address(), "lines", List.of(line(product, 1))))
                .post("/orders").then().statusCode(202).extract().path("orderId");
    }

    private UUID product() {
        return UUID.fromString(bearer(provider.staff()).contentType(ContentType.JSON)
                .body(Map.of("sku", unique("SKU"), "name", "Kettle", "unitPrice", 12.5))
                .post("/products").then().statusCode(201).extract().path("productId"));
    }

    private static double tokenCount(String verification) {
        return Metrics.sum(Metrics.scrape(), "ordersvc_security_tokens_total",
                series -> series.contains("verification=\"" + verification + "\""));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), StandardCharsets.UTF_8);
        Matcher kid = KID.matcher(header);
        assertThat(kid.find()).as("a kid in " + header).isTrue();
        return kid.group(1);
    }
}
