package io.ordersvc.orders;

import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Callers.staffBearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Staff confirm and ship while the customer cancels, all at once. */
@QuarkusTest
class RacingCommandsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool primary;

    @Test
    void of_twenty_racing_confirms_and_cancels_exactly_one_wins_and_versions_stay_contiguous() {
        UUID buyer = customer("Leslie Lamport");
        UUID id = Fixtures.order(buyer, product("Paxos made simple", "5.00"), 1);
        AtomicInteger n = new AtomicInteger();
        List<HttpResponse<String>> answers = Http.concurrently(20, () -> n.getAndIncrement() % 2 == 0
                ? Http.post(base.resolve("/orders/" + id + "/confirm"), "", "If-Match", "\"1\"", "Authorization", staffBearer())
                : Http.post(base.resolve("/orders/" + id + "/cancel"), "{\"reason\":\"race\"}", "If-Match", "\"1\"",
                        "Authorization", bearer(buyer)));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus.get(202)).isEqualTo(1);
        assertThat(byStatus.keySet()).isSubsetOf(202, 409, 412);
        assertThat(versions(id)).containsExactly(1L, 2L);
    }

    @Test
    void racing_commands_without_if_match_serialize_and_leave_no_version_gap() {
        UUID buyer = customer("Nancy Lynch");
        UUID id = Fixtures.order(buyer, product("Distributed algorithms", "80.00"), 1);
        AtomicInteger n = new AtomicInteger();
        List<HttpResponse<String>> answers = Http.concurrently(20, () -> switch (n.getAndIncrement() % 4) {
            case 0 -> Http.post(base.resolve("/orders/" + id + "/confirm"), "", "Authorization", staffBearer());
            case 1 -> Http.post(base.resolve("/orders/" + id + "/ship"), "", "Authorization", staffBearer());
            case 2 -> Http.post(base.resolve("/orders/" + id + "/cancel"), "{\"reason\":\"race\"}", "Authorization", bearer(buyer));
            default -> Http.post(base.resolve("/orders/" + id + "/confirm"), "", "Authorization", staffBearer());
        });

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(202, 409));
        long accepted = answers.stream().filter(r -> r.statusCode() == 202).count();
        List<Long> versions = versions(id);
        assertThat(versions).hasSize((int) accepted + 1);
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).isEqualTo(i + 1L);
        }
    }

    private List<Long> versions(UUID id) {
        return StreamSupport.stream(primary.preparedQuery("SELECT version FROM events WHERE aggregate_id = $1 ORDER BY version")
                        .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).spliterator(), false)
                .map((Row r) -> r.getLong(0)).toList();
    }
}
