package io.ordersvc.cqrs.view;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops one start-up warning, and only that one: "This Gauge has been already registered
 * (MeterId{name='redis.pool.queue.size', ...})". Quarkus' own Vert.x metrics register the pool
 * meters of the one default Redis client twice while the application starts (the service creates
 * no Redis client of its own, and the same happens in an application that only injects the data
 * source); Micrometer keeps the first and says so. The pool's meters are exported once, so the
 * warning tells an operator nothing. Any other meter registered twice is still reported.
 */
@LoggingFilter(name = "duplicate-redis-pool-gauge")
public final class DuplicateRedisPoolGauge implements Filter {

    private static final String WARNING = "This Gauge has been already registered (MeterId{name='redis.pool.";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return message == null || !message.startsWith(WARNING);
    }
}
