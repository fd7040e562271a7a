package io.ordersvc.cqrs.process;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Opens the connections an instance's roles need before it reports ready: the pools open lazily,
 * and an instance that joins a Service under full load would otherwise open them all at once,
 * each with its authentication handshake, while its first requests wait (after a rolling restart,
 * seen as commands timing out on the instance that had just come back). Bounded: a server that is
 * out does not hold readiness here; readiness's own checks say what is out.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    private final Roles roles;
    private final Pool primary;
    private final Pool replica;
    private final ReactiveRedisDataSource redis;
    private final WarmUpConfig config;
    private volatile boolean done;

    WarmUp(Roles roles, Pool primary, @ReactiveDataSource("replica") Pool replica, ReactiveRedisDataSource redis,
            WarmUpConfig config) {
        this.roles = roles;
        this.primary = primary;
        this.replica = replica;
        this.redis = redis;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long t0 = System.nanoTime();
        List<Uni<Void>> opening = new ArrayList<>();
        if (roles.command() || roles.query()) {
            opening.add(open("primary", () -> primary.query("SELECT 1").execute()));
        }
        if (roles.query()) {
            opening.add(open("replica", () -> replica.query("SELECT 1").execute()));
            opening.add(open("redis", () -> redis.execute("PING")));
        }
        if (opening.isEmpty()) {
            done = true;
            return;
        }
        Uni.join().all(opening).andCollectFailures()
                .ifNoItem().after(config.timeout()).fail()
                .subscribe().with(ok -> finished(t0, null), failure -> finished(t0, failure));
    }

    /** Whether the connections are open (or their opening has ended, either way). */
    public boolean done() {
        return done;
    }

    /** As many requests at once as connections are to be opened: each takes a connection of its own, opening it. */
    private Uni<Void> open(String server, Supplier<Uni<?>> request) {
        List<Uni<Void>> all = new ArrayList<>();
        for (int i = 0; i < config.connections(); i++) {
            all.add(request.get().replaceWithVoid());
        }
        return Uni.join().all(all).andCollectFailures().replaceWithVoid()
                .onFailure().invoke(failure -> LOG.infof("warm-up: %s did not answer (%s); readiness tells", server,
                        failure.getMessage()));
    }

    private void finished(long t0, Throwable failure) {
        done = true;
        LOG.infof("warm-up done in %d ms%s", (System.nanoTime() - t0) / 1_000_000,
                failure == null ? "" : " (not every server answered)");
    }
}
