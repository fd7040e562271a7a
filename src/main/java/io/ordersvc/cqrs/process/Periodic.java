package io.ordersvc.cqrs.process;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work an instance repeats while it runs (checks, counts, clean-ups), on an event loop: stopped
 * as the instance stops, so that none of it runs once the clients it uses are closed.
 */
@ApplicationScoped
public class Periodic {

    private final Vertx vertx;
    private final Set<Long> timers = ConcurrentHashMap.newKeySet();

    Periodic(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code work} after {@code first}, then every {@code period}, until the instance stops. */
    public void every(Duration first, Duration period, Runnable work) {
        timers.add(vertx.setPeriodic(first.toMillis(), period.toMillis(), id -> work.run()));
    }

    public void every(Duration period, Runnable work) {
        every(period, period, work);
    }

    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }
}
