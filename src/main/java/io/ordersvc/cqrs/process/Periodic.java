package io.ordersvc.cqrs.process;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work an instance repeats (checks, counts, clean-ups, polls, lease renewals), on an event loop:
 * the one way to schedule it. All of it stops as the instance stops, before any other part of it
 * closes the clients that work uses.
 */
@ApplicationScoped
public class Periodic {

    /** Work scheduled to repeat: once cancelled, it runs no more. */
    public interface Repeating {

        void cancel();
    }

    private final Vertx vertx;
    private final Set<Long> timers = ConcurrentHashMap.newKeySet();

    Periodic(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code work} after {@code first}, then every {@code period}, until it is cancelled or the instance stops. */
    public Repeating every(Duration first, Duration period, Runnable work) {
        long timer = vertx.setPeriodic(first.toMillis(), period.toMillis(), id -> work.run());
        timers.add(timer);
        return () -> {
            if (timers.remove(timer)) {
                vertx.cancelTimer(timer);
            }
        };
    }

    public Repeating every(Duration period, Runnable work) {
        return every(period, period, work);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }
}
