package io.ordersvc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fuzzer itself: deterministic, every endpoint, and bodies that say what they mean to say. */
class RequestFuzzerTest {

    /** Stand-ins of the form header.payload.signature, each part its own. */
    private static final RequestFuzzer.Credentials TOKENS = new RequestFuzzer.Credentials("hc.pc.sc", "hn.pn.sn", "hs.ps.ss",
            "ha.pa.sa", "he.pe.se", "hi.pi.si", "hu.pu.su");
    private static final RequestFuzzer.Seed DATA = new RequestFuzzer.Seed(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            TOKENS);

    @Test
    void the_same_seed_gives_the_same_requests() {
        RequestFuzzer one = new RequestFuzzer(7, DATA);
        RequestFuzzer other = new RequestFuzzer(7, DATA);
        for (long i = 0; i < 500; i++) {
            RequestFuzzer.Request a = one.request(i);
            RequestFuzzer.Request b = other.request(i);
            assertThat(b.method() + b.target() + b.headers() + b.mutations()).isEqualTo(a.method() + a.target() + a.headers()
                    + a.mutations());
            assertThat(Arrays.equals(a.body(), b.body())).isTrue();
        }
    }

    @Test
    void two_thousand_requests_reach_every_endpoint_with_many_kinds_of_mutation() {
        RequestFuzzer fuzzer = new RequestFuzzer(13, DATA);
        List<RequestFuzzer.Request> requests = LongStream.range(0, 2000).mapToObj(fuzzer::request).toList();

        assertThat(requests.stream().map(RequestFuzzer.Request::endpoint).collect(Collectors.toSet())).hasSize(22);
        Set<String> mutations = requests.stream().map(r -> r.mutation().replaceFirst("@.*", "")).collect(Collectors.toSet());
        assertThat(mutations).contains("text-nul", "text-control", "text-lone-surrogate", "quantity-out-of-range",
                "price-out-of-range", "deep-nesting", "json-truncated", "invalid-utf8", "wrong-content-type",
                "bad-idempotency-key", "bad-if-match", "bad-x-min-version", "bad-last-event-id", "bad-path-id", "bad-limit",
                "bad-topic", "unknown-field", "missing-field", "duplicate-key", "wrong-method", "token-missing", "token-garbage",
                "token-truncated", "token-alg-none", "token-alg-other", "token-expired", "token-other-issuer",
                "token-other-audience", "token-signature-of-another", "token-wrong-scheme");
    }

    @Test
    void a_malformed_request_carries_the_token_of_a_caller_who_may_call_its_endpoint() {
        RequestFuzzer fuzzer = new RequestFuzzer(13, DATA);
        Map<String, String> expected = Map.of("POST /customers", TOKENS.newcomer(), "POST /orders", TOKENS.customer(),
                "PUT /orders/{id}/shipping-address", TOKENS.customer(), "POST /orders/{id}/confirm", TOKENS.staff(),
                "POST /orders/{id}/ship", TOKENS.staff(), "POST /products", TOKENS.staff(), "GET /stats", TOKENS.staff(),
                "GET /orders/{id}", TOKENS.customer(), "GET /admin/dead-letters", TOKENS.admin());
        List<RequestFuzzer.Request> malformed = LongStream.range(0, 2000).mapToObj(fuzzer::request).filter(r -> !r.badToken())
                .filter(r -> expected.containsKey(r.endpoint())).toList();

        assertThat(malformed).isNotEmpty().allSatisfy(r -> assertThat(r.headers())
                .contains(new RequestFuzzer.Header("Authorization", "Bearer " + expected.get(r.endpoint()))));
    }

    @Test
    void a_request_with_a_spoiled_token_is_otherwise_valid() {
        RequestFuzzer fuzzer = new RequestFuzzer(13, DATA);
        List<RequestFuzzer.Request> spoiled = LongStream.range(0, 2000).mapToObj(fuzzer::request)
                .filter(RequestFuzzer.Request::badToken).toList();

        assertThat(spoiled).hasSizeGreaterThan(100).allSatisfy(r -> {
            assertThat(r.mutations()).hasSize(1);
            assertThat(r.headers()).noneMatch(h -> h.name().equals("Authorization") && Stream.of(TOKENS.customer(),
                    TOKENS.newcomer(), TOKENS.staff(), TOKENS.admin()).map(t -> "Bearer " + t).anyMatch(h.value()::equals));
        });
        assertThat(spoiled.stream().map(RequestFuzzer.Request::endpoint).collect(Collectors.toSet())).hasSize(21);
    }

    @Test
    void a_lone_surrogate_travels_escaped_so_that_the_service_sees_it() {
        RequestFuzzer fuzzer = new RequestFuzzer(13, DATA);
        RequestFuzzer.Request request = LongStream.range(0, 20_000).mapToObj(fuzzer::request)
                .filter(r -> r.mutations().equals(List.of("text-lone-surrogate"))).findFirst().orElseThrow();

        String body = new String(request.body(), StandardCharsets.UTF_8);
        assertThat(body).containsPattern("\\\\u[dD][89a-fA-F]");
        assertThat(body).doesNotContain("?");
    }
}
