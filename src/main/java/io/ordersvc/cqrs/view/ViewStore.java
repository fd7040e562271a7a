package io.ordersvc.cqrs.view;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read models as Redis hashes, each written atomically and only forward in version. Views live in
 * generations (see the script): readers use the active one, which this store learns within a
 * second of a switch; writers let the script pick, so no write misses a generation being built.
 */
@ApplicationScoped
public class ViewStore {

    public static final String ACTIVE_GENERATION = "views:generation";
    public static final String BUILDING_GENERATION = "views:building";

    private static final LuaScript WRITE = LuaScript.of("change-stream-position.lua", "versioned-view-write.lua");

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final AtomicLong generation = new AtomicLong(1);

    private final ChangeStreamConfig retention;

    ViewStore(ReactiveRedisDataSource redis, Vertx vertx, ChangeStreamConfig retention) {
        this.redis = redis;
        this.vertx = vertx;
        this.retention = retention;
    }

    void start(@Observes StartupEvent event) {
        refreshGeneration().subscribe().with(g -> { }, f -> { });
        vertx.setPeriodic(1000, id -> refreshGeneration().subscribe().with(g -> { }, f -> { }));
    }

    /** The key of a view in the active generation. */
    public String key(String name) {
        return "g" + generation.get() + ":" + name;
    }

    public long activeGeneration() {
        return generation.get();
    }

    public Uni<Long> refreshGeneration() {
        return redis.value(String.class).get(ACTIVE_GENERATION)
                .map(g -> g == null ? 1L : Long.parseLong(g))
                .invoke(generation::set);
    }

    public Uni<Map<String, String>> read(String name) {
        return redis.hash(String.class).hgetall(key(name));
    }

    /** Writes to the active generation, and to the one being built if a rebuild runs. */
    public Uni<WriteOutcome> write(ViewWrite w) {
        return execute("", w);
    }

    /** Writes to one given generation only: what a rebuild does. */
    public Uni<WriteOutcome> writeTo(long targetGeneration, ViewWrite w) {
        return execute(Long.toString(targetGeneration), w);
    }

    private Uni<WriteOutcome> execute(String target, ViewWrite w) {
        List<String> args = arguments(target, w);
        return WRITE.run(redis, args)
                .map(Response::toLong)
                .map(WriteOutcome::of);
    }

    private List<String> arguments(String target, ViewWrite w) {
        List<String> a = new ArrayList<>();
        a.add("0");
        a.add(target);
        a.add(w.key());
        a.add(String.valueOf(w.version()));
        a.add(w.snapshot() ? "snapshot" : "patch");
        a.add(String.join(" ", w.streams()));
        a.add(w.announcement());
        a.add(String.valueOf(w.ttl().toMillis()));
        a.add(String.valueOf(w.fields().size()));
        w.fields().forEach((field, value) -> {
            a.add(field);
            a.add(value);
        });
        a.add(String.valueOf(w.indexes().size()));
        w.indexes().forEach(i -> {
            a.add(i.key());
            a.add(String.valueOf(i.score()));
            a.add(i.member());
        });
        a.add(String.valueOf(w.counters().size()));
        w.counters().forEach(c -> {
            a.add(c.hash());
            a.add(c.field());
            a.add(c.delta());
        });
        a.add(String.valueOf(retention.retained()));
        a.add(String.valueOf(retention.ttl().toMillis()));
        return a;
    }

    /**
     * Whether a failed write may succeed once Redis is back: anything but an error Redis itself
     * answered (a script or command error, which retrying cannot mend).
     */
    public static boolean isOutage(Throwable t) {
        return !(t instanceof ErrorType);
    }
}
