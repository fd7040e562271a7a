package io.ordersvc.security;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Fixtures.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What one caller may take of an instance: commands at a rate, and a number of open change streams. */
@QuarkusTest
@TestProfile(CallerLimitsTest.SmallAllowances.class)
class CallerLimitsTest {

    public static class SmallAllowances implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ordersvc.limits.commands-per-second", "0.5", "ordersvc.limits.command-burst", "3",
                    "ordersvc.limits.streams-per-caller", "2");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void a_caller_beyond_its_command_allowance_gets_429_with_retry_after_and_others_are_not_held_back() {
        UUID greedy = UUID.randomUUID();
        List<Integer> statuses = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 5; i++) {
            // bodies the service refuses as invalid: the allowance counts requests, not successes
            Response r = asCustomer(greedy).contentType(ContentType.JSON).body(Map.of("shippingAddress", address()))
                    .post("/orders");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                refused = r;
            }
        }
        assertThat(statuses.subList(0, 3)).containsOnly(400);
        assertThat(statuses.subList(3, 5)).containsOnly(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        // another customer acts as usual
        asCustomer(UUID.randomUUID()).contentType(ContentType.JSON).body(Map.of("shippingAddress", address()))
                .post("/orders").then().statusCode(400);
    }

    @Test
    void a_caller_with_its_maximum_of_streams_open_gets_429_until_it_closes_one() {
        UUID buyer = Fixtures.customer("Ida Noddack");
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes");
        try (SseClient first = SseClient.connect(bearer(buyer), changes);
                SseClient second = SseClient.connect(bearer(buyer), changes)) {
            assertThat(List.of(first.status(), second.status())).containsOnly(200);
            try (SseClient third = SseClient.connect(bearer(buyer), changes)) {
                assertThat(third.status()).isEqualTo(429);
            }
            // someone else is not counted against this caller
            UUID other = Fixtures.customer("Walter Noddack");
            try (SseClient theirs = SseClient.connect(bearer(other), base.resolve("/customers/" + other + "/orders/changes"))) {
                assertThat(theirs.status()).isEqualTo(200);
            }
        }
        await().atMost(SseClient.timeout()).until(() -> {
            try (SseClient again = SseClient.connect(bearer(buyer), changes)) {
                return again.status() == 200;
            }
        });
    }
}
