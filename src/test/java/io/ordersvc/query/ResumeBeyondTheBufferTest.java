package io.ordersvc.query;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client that resumes after missing more changes than its buffer holds (though not more than the
 * stream keeps) is told to refetch, once, instead of being sent them all at once, overflowing,
 * being disconnected and resuming from the same place for ever.
 */
@QuarkusTest
@TestProfile(ResumeBeyondTheBufferTest.SmallClientBuffers.class)
class ResumeBeyondTheBufferTest {

    public static class SmallClientBuffers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ordersvc.changes.retained", "30", "ordersvc.changes.client-buffer", "8");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void a_resume_that_missed_more_than_a_clients_buffer_holds_gets_a_reset_and_then_the_live_changes() {
        UUID buyer = Fixtures.customer("Grace Hopper");
        UUID compiler = Fixtures.product("Compiler manual", "12.00");
        for (int i = 0; i < 12; i++) {
            Fixtures.order(buyer, compiler, 1);
        }
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getLong("changesPosition") == 12);

        try (SseClient client = SseClient.connect(bearer(buyer), base.resolve("/customers/" + buyer + "/orders/changes"), "0")) {
            await().atMost(SseClient.timeout()).until(() -> !client.events().isEmpty());
            assertThat(client.events().get(0).name()).isEqualTo("reset");
            assertThat(client.events().get(0).id()).isEqualTo("12");

            Fixtures.order(buyer, compiler, 1);
            await().atMost(SseClient.timeout()).until(() -> client.events().size() == 2);
            assertThat(client.events().get(1).id()).isEqualTo("13");
            assertThat(client.end()).isEqualTo(SseClient.End.OPEN);
        }
    }
}
