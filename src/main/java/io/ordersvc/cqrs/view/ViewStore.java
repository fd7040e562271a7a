package io.ordersvc.cqrs.view;

import io.ordersvc.cqrs.roles.Periodic;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.io.IOException;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read models in Redis, each view hash written atomically and only forward in version, with the
 * index entries, counter moves and announcements of the same change. Views live in
 * generations (see the script): readers use the active one, which this store learns within a
 * second of a switch; writers let the script pick, so no write misses a generation being built.
 * While Redis names no active generation (it lost its data, or is new, and the read models are
 * being rebuilt from the log) there is nothing complete to read: reads fail at once with
 * {@link ReadModelsMissing}, an outage, and readers turn to the replica as they do when Redis is out.
 */
@ApplicationScoped
public class ViewStore {

    public static final String ACTIVE_GENERATION = "views:generation";
    public static final String BUILDING_GENERATION = "views:building";

    private static final LuaScript WRITE = LuaScript.of("change-stream-position.lua", "view-changes.lua");

    private final ReactiveRedisDataSource redis;
    private final AtomicLong generation = new AtomicLong(1);
    private volatile boolean readModels = true;

    private final ChangeStreamConfig retention;
    private final JsonFactory json;
    /** The change streams' times to live by kind, as the script reads them: a JSON object of milliseconds as strings. */
    private final String streamTtlByKind;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration countedTtl;

    /**
     * @param readTimeout  a read Redis has not answered by then fails, and the reader turns to the
     *                     replica: a paused or drowning Redis does not hold a request for long
     * @param writeTimeout a write not answered by then fails as an outage and is tried again
     *                     (writes are version-guarded: one that did land meanwhile is a no-op)
     * @param countedTtl   how long a subject's counted version (see {@link Counting}) is kept after its
     *                     last counted move: longer than any event of it is redelivered or re-driven
     *                     after (an {@code OrderPlaced} re-driven later than that would be counted again)
     */
    ViewStore(ReactiveRedisDataSource redis, ChangeStreamConfig retention, ObjectMapper json,
            @ConfigProperty(name = "ordersvc.views.read-timeout", defaultValue = "1s") Duration readTimeout,
            @ConfigProperty(name = "ordersvc.views.write-timeout", defaultValue = "5s") Duration writeTimeout,
            @ConfigProperty(name = "ordersvc.views.counted-ttl", defaultValue = "30d") Duration countedTtl) {
        this.redis = redis;
        this.retention = retention;
        this.json = json.getFactory();
        this.streamTtlByKind = ttlByKind(retention, this.json);
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
        this.countedTtl = countedTtl;
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        refreshGeneration().subscribe().with(g -> { }, f -> { });
        periodic.every(Duration.ofSeconds(1), () -> refreshGeneration().subscribe().with(g -> { }, f -> { }));
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
                .invoke(g -> readModels = g != null)
                .map(g -> g == null ? 1L : Long.parseLong(g))
                .invoke(generation::set);
    }

    /** Whether Redis names an active generation: whether there are read models to read. */
    public boolean hasReadModels() {
        return readModels;
    }

    public Uni<Map<String, String>> read(String name) {
        return bounded(redis.hash(String.class).hgetall(key(name)));
    }

    /**
     * {@code read} of Redis, failing when Redis has not answered it within the read timeout, or at
     * once when there are no read models to read.
     */
    public <T> Uni<T> bounded(Uni<T> read) {
        return readModels ? timely(read) : Uni.createFrom().failure(new ReadModelsMissing());
    }

    /**
     * A read of Redis that belongs to no generation (a change stream's history), failing when Redis
     * has not answered it within the read timeout.
     */
    public <T> Uni<T> timely(Uni<T> read) {
        return read.ifNoItem().after(readTimeout).fail();
    }

    /** Some fields of a view, in the order asked for; null for each one it lacks (all, when it is not there). */
    public Uni<List<String>> read(String name, List<String> fields) {
        String[] args = new String[fields.size() + 1];
        args[0] = key(name);
        for (int i = 0; i < fields.size(); i++) {
            args[i + 1] = fields.get(i);
        }
        return bounded(redis.execute("HMGET", args)).map(reply -> {
            List<String> values = new ArrayList<>(reply.size());
            reply.forEach(v -> values.add(v == null ? null : v.toString()));
            return values;
        });
    }

    /** Applies a change to the active generation, and to the one being built if a rebuild runs. */
    public Uni<WriteOutcome> apply(ViewChange change) {
        return execute("", List.of(change)).map(outcomes -> outcomes.get(0));
    }

    /**
     * Puts back a view that a read missed and rebuilt: the reader waits for it no longer than for a
     * read, so that a Redis that does not answer delays no answer; a view not put back is built
     * again on the next miss.
     */
    public Uni<Void> putBack(ViewChange change) {
        return bounded(apply(change)).replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Applies changes in order, in one atomic step; answers what became of each one's view. */
    public Uni<List<WriteOutcome>> applyAll(List<ViewChange> changes) {
        return execute("", changes);
    }

    /** Applies changes to one given generation only: what a rebuild does. */
    public Uni<List<WriteOutcome>> applyTo(long targetGeneration, List<ViewChange> changes) {
        return execute(Long.toString(targetGeneration), changes);
    }

    private Uni<List<WriteOutcome>> execute(String target, List<ViewChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return WRITE.run(redis, List.of("0", encode(changes), target, Integer.toString(retention.retained()),
                        Long.toString(retention.ttl().toMillis()), streamTtlByKind, Long.toString(countedTtl.toMillis())))
                .ifNoItem().after(writeTimeout).fail()
                .map(ViewStore::outcomes);
    }

    private static String ttlByKind(ChangeStreamConfig retention, JsonFactory json) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(json._getBufferRecycler());
                JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Duration> kind : retention.ttlByKind().entrySet()) {
                g.writeStringField(kind.getKey(), Long.toString(kind.getValue().toMillis()));
            }
            g.writeEndObject();
            g.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<WriteOutcome> outcomes(Response reply) {
        List<WriteOutcome> outcomes = new ArrayList<>(reply.size());
        reply.forEach(r -> outcomes.add(WriteOutcome.of(r.toLong())));
        return outcomes;
    }

    /** The changes as the script reads them: one JSON array, numbers as strings (Lua's are doubles). */
    private String encode(List<ViewChange> changes) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(json._getBufferRecycler());
                JsonGenerator g = json.createGenerator(out)) {
            g.writeStartArray();
            for (ViewChange c : changes) {
                g.writeStartObject();
                write(g, c.view());
                g.writeArrayFieldStart("indexes");
                for (IndexEntry i : c.indexes()) {
                    g.writeStartObject();
                    g.writeStringField("key", i.key());
                    g.writeStringField("score", Long.toString(i.score()));
                    g.writeStringField("member", i.member());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (c.counting() != null) {
                    write(g, c.counting());
                }
                if (c.announcement() != null) {
                    write(g, c.announcement());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator g, ViewWrite v) throws IOException {
        g.writeObjectFieldStart("view");
        g.writeStringField("key", v.key());
        g.writeStringField("version", Long.toString(v.version()));
        g.writeBooleanField("replace", v.replace());
        g.writeStringField("ttl", Long.toString(v.ttl().toMillis()));
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, String> f : v.fields().entrySet()) {
            g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, Counting c) throws IOException {
        g.writeObjectFieldStart("counting");
        g.writeStringField("subject", c.subject());
        g.writeStringField("version", Long.toString(c.version()));
        g.writeArrayFieldStart("moves");
        for (Counting.Move m : c.moves()) {
            g.writeStartObject();
            g.writeStringField("hash", m.hash());
            g.writeStringField("field", m.field());
            g.writeStringField("delta", Long.toString(m.delta()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, Announcement a) throws IOException {
        g.writeObjectFieldStart("announce");
        g.writeStringField("event", a.event());
        g.writeStringField("data", a.data());
        g.writeStringField("stream", a.stream());
        g.writeStringField("position", Long.toString(a.position()));
        if (a.trace() != null) {
            g.writeStringField("trace", a.trace());
        }
        g.writeArrayFieldStart("also");
        for (String s : a.alsoOn()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Whether a failed write may succeed once Redis is back, or once it is itself again: no answer at
     * all (refused, closed, timed out), or an answer that says Redis cannot take writes for now
     * (loading its data, a replica, a script still running, out of memory, no primary, a failover).
     * Only other errors, those of a script or a command, which retrying cannot mend, are final.
     */
    public static boolean isOutage(Throwable t) {
        return !(t instanceof ErrorType error) || TRANSIENT_REPLIES.stream().anyMatch(error::is);
    }

    /** Redis names no active generation: the read models are being rebuilt from the log. */
    public static final class ReadModelsMissing extends RuntimeException {

        public ReadModelsMissing() {
            super("Redis holds no read models now; they are being rebuilt from the event log", null, false, false);
        }
    }

    /** Replies of a Redis that is starting, failing over, busy or full: they pass. */
    private static final List<String> TRANSIENT_REPLIES = List.of(
            "LOADING", "READONLY", "BUSY", "OOM", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS");
}
