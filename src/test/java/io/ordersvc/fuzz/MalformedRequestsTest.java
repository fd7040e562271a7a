package io.ordersvc.fuzz;

import static io.ordersvc.support.Callers.asCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Callers;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Tokens;
import io.ordersvc.support.WriteModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed requests to every endpoint and header ({@link RequestFuzzer}): none gets a
 * 5xx, none goes unanswered, none that could change state is accepted, and the write model is the
 * same after them as before. Each refusal is a problem+json, and a 400 names its field. Each is sent
 * with a valid token of a role that may call the endpoint, so that the input is what is refused;
 * the requests whose only fault is their token (missing, garbage, truncated, alg "none", expired,
 * ...) are refused with a 401 that challenges for a bearer token.
 *
 * <p>CI runs 3,000 requests. {@code -Dfuzz.requests=100000} runs the goal size; {@code fuzz.seed},
 * {@code fuzz.clients} (concurrent senders) and {@code fuzz.seconds} (the time bound) may be set too.
 */
@QuarkusTest
class MalformedRequestsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool primary;

    @Test
    void malformed_requests_to_every_endpoint_get_a_problem_and_change_nothing() throws Exception {
        int requests = Integer.getInteger("fuzz.requests", 3000);
        long seed = Long.getLong("fuzz.seed", 13L);
        int clients = Integer.getInteger("fuzz.clients", 4);
        Duration bound = Duration.ofSeconds(Long.getLong("fuzz.seconds", 240L));
        RequestFuzzer fuzzer = new RequestFuzzer(seed, seedData());
        FuzzClient client = new FuzzClient(base, Duration.ofSeconds(10));
        FuzzReport report = new FuzzReport(requests);
        Map<String, Long> before = WriteModel.fingerprint(primary);

        long t0 = System.nanoTime();
        send(fuzzer, client, report, requests, clients, bound);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> after = WriteModel.fingerprint(primary);

        System.out.printf("fuzz: %d requests, seed %d, %d clients, %.1f s (%.0f/s); 5xx: %d; write model before %s, after %s%n%s",
                report.sent(), seed, clients, seconds, report.sent() / seconds, report.count(FuzzReport.SERVER_ERROR), before,
                after, report.summary());
        assertThat(report.sent()).as("requests sent within %s", bound).isEqualTo(requests);
        assertThat(report.examples(FuzzReport.SERVER_ERROR)).as("5xx answers").isEmpty();
        assertThat(report.examples(FuzzReport.NO_ANSWER)).as("requests without an answer").isEmpty();
        assertThat(report.examples(FuzzReport.ACCEPTED)).as("invalid commands accepted").isEmpty();
        assertThat(after).as("the write model").isEqualTo(before);
        assertThat(report.examples(FuzzReport.NOT_A_PROBLEM)).as("refusals that are not problem+json").isEmpty();
        assertThat(report.examples(FuzzReport.NO_FIELD)).as("400s that name no field").isEmpty();
        assertThat(report.examples(FuzzReport.NOT_UNAUTHORIZED)).as("spoiled tokens not refused with a 401").isEmpty();
    }

    /**
     * What the valid requests refer to: made, and projected, before the write model is
     * fingerprinted; and the tokens they are sent with, signed with the test stack's key.
     */
    private static RequestFuzzer.Seed seedData() {
        UUID customer = Fixtures.customer("Fuzz Seed");
        UUID product = Fixtures.product("Fuzz seed product", "12.50");
        UUID order = Fixtures.order(customer, product, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> asCustomer(customer).get("/orders/" + order).statusCode() == 200
                && asCustomer(customer).get("/products/" + product).statusCode() == 200);
        Tokens tokens = Callers.tokens();
        List<String> customerRole = List.of("customer");
        RequestFuzzer.Credentials credentials = new RequestFuzzer.Credentials(tokens.customer(customer),
                tokens.customer(UUID.randomUUID()), tokens.staff(), tokens.admin(),
                // past the verifier's allowance for clock skew (a minute)
                tokens.token(customer.toString(), customerRole, Duration.ofMinutes(-10)),
                tokens.token(customer.toString(), customerRole, "someone-else", Tokens.AUDIENCE, Duration.ofHours(1)),
                tokens.token(customer.toString(), customerRole, tokens.issuer(), "another-service", Duration.ofHours(1)));
        return new RequestFuzzer.Seed(customer, product, order, credentials);
    }

    private static void send(RequestFuzzer fuzzer, FuzzClient client, FuzzReport report, int requests, int clients,
            Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        AtomicLong next = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(senders.submit(() -> {
                    for (long i = next.getAndIncrement(); i < requests && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                        RequestFuzzer.Request request = fuzzer.request(i);
                        report.record(request, client.send(request));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(bound.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
    }
}
