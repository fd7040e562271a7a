package io.ordersvc.cqrs.command;

import io.ordersvc.cqrs.process.Periodic;
import io.ordersvc.cqrs.process.Roles;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Deletes idempotency keys past their retention, on processes that run the command side. */
@ApplicationScoped
public class IdempotencyKeyCleanup {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyCleanup.class);

    private final Pool primary;
    private final CommandConfig config;
    private final Roles roles;

    IdempotencyKeyCleanup(Pool primary, CommandConfig config, Roles roles) {
        this.primary = primary;
        this.config = config;
        this.roles = roles;
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        if (roles.command()) {
            periodic.every(config.idempotencyCleanup(), this::deleteExpired);
        }
    }

    void deleteExpired() {
        primary.query("DELETE FROM idempotency_keys WHERE expires_at < now()").execute()
                .subscribe().with(rows -> LOG.debugf("deleted %d expired idempotency keys", rows.rowCount()),
                        failure -> LOG.warnf("idempotency key cleanup failed: %s", failure.toString()));
    }
}
