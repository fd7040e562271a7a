package io.ordersvc.cqrs.viewstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Where an instance writes its first changes, before it has read from Redis which generation of the read models is active. */
@QuarkusTest
class ViewStoreGenerationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ReadModelRedis redis;
    @Inject
    ChangeStreamConfig retention;
    @Inject
    ObjectMapper json;
    @Inject
    ViewStoreConfig config;
    @Inject
    ViewStore running;

    @Test
    void a_store_that_has_not_read_the_active_generation_yet_writes_its_first_change_into_it() {
        // the read models live in a generation past the first, as after any rebuild (for this spec
        // only: the generation that was active is named again at its end)
        String before = redis.get().value(String.class).get(ViewStore.ACTIVE_GENERATION).await().atMost(WAIT);
        long active = (before == null ? 1 : Long.parseLong(before)) + 1000;
        redis.get().value(String.class).set(ViewStore.ACTIVE_GENERATION, Long.toString(active)).await().atMost(WAIT);
        try {
            // a store as an instance has it in the first moments after its start, when a projector that
            // kept its partitions (a static member) is handed its backlog at once
            ViewStore starting = new ViewStore(redis, retention, json, config);
            String name = "generation-spec:{" + UUID.randomUUID() + "}";

            List<WriteOutcome> outcomes = starting.applyAll(List.of(ViewChange.of(ViewWrite.replace(name, 1,
                    Map.of("state", "written"))))).await().atMost(WAIT);

            assertThat(outcomes).containsExactly(WriteOutcome.APPLIED);
            assertThat(redis.get().hash(String.class).hgetall("g" + active + ":" + name).await().atMost(WAIT))
                    .containsEntry("state", "written").containsEntry("version", "1");
            assertThat(redis.get().hash(String.class).hgetall("g1:" + name).await().atMost(WAIT)).isEmpty();
        } finally {
            (before == null ? redis.get().key().del(ViewStore.ACTIVE_GENERATION).replaceWithVoid()
                    : redis.get().value(String.class).set(ViewStore.ACTIVE_GENERATION, before)).await().atMost(WAIT);
            running.refreshGeneration().await().atMost(WAIT);
        }
    }
}
