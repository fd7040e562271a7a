package io.ordersvc.cqrs.command;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "ordersvc.commands")
public interface CommandConfig {

    /** How long an idempotency key and its answer are kept. */
    @WithDefault("24h")
    Duration idempotencyRetention();

    /**
     * How long a caller waits for its command's transaction before it is answered 503 (the
     * transaction still runs to its end; a retry with the same Idempotency-Key learns how it ended).
     */
    @WithDefault("5s")
    Duration timeout();

    /** How often expired idempotency keys are deleted. */
    @WithDefault("10m")
    Duration idempotencyCleanup();
}
