package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.process.Periodic;
import java.time.Duration;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one caller (one token subject) may use of an instance: commands at a sustained rate with a
 * burst (a token bucket), and a number of open change streams. Kept in memory per instance: behind
 * a load balancer of n instances a caller may get up to n times as much, which bounds what one
 * caller can take from each instance, the point of the limits.
 */
@ApplicationScoped
public class CallerLimits {

    private final double commandsPerSecond;
    private final int commandBurst;
    private final int streamsPerCaller;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

    CallerLimits(CallerLimitsConfig config) {
        this.commandsPerSecond = config.commandsPerSecond();
        this.commandBurst = config.commandBurst();
        this.streamsPerCaller = config.streamsPerCaller();
    }

    /** Forgets the buckets of callers idle long enough for theirs to be full again. */
    void start(@Observes StartupEvent event, Periodic periodic) {
        periodic.every(Duration.ofMinutes(1), () -> {
            long now = System.nanoTime();
            buckets.values().removeIf(bucket -> bucket.fullAt(now));
        });
    }

    /**
     * Takes one command from the caller's allowance: 0 when it may go on, else the whole seconds
     * after which it may (for {@code Retry-After}).
     */
    public long command(String subject) {
        return buckets.computeIfAbsent(subject, s -> new Bucket()).take(System.nanoTime());
    }

    /** Opens a stream for the caller if it has fewer than its maximum open; false when it has not. */
    public boolean openStream(String subject) {
        AtomicInteger open = streams.computeIfAbsent(subject, s -> new AtomicInteger());
        if (open.incrementAndGet() > streamsPerCaller) {
            closeStream(subject);
            return false;
        }
        return true;
    }

    public void closeStream(String subject) {
        streams.computeIfPresent(subject, (s, open) -> open.decrementAndGet() <= 0 ? null : open);
    }

    public int streamsPerCaller() {
        return streamsPerCaller;
    }

    /** A token bucket: {@code commandBurst} tokens, refilled at {@code commandsPerSecond}. */
    private final class Bucket {

        private double tokens = commandBurst;
        private long refilledAt = System.nanoTime();

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / commandsPerSecond));
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= commandBurst;
        }

        private void refill(long now) {
            tokens = Math.min(commandBurst, tokens + (now - refilledAt) * commandsPerSecond / TimeUnit.SECONDS.toNanos(1));
            refilledAt = now;
        }
    }
}
