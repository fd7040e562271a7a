package io.ordersvc.cqrs.relay;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import org.jboss.logging.Logger;

/**
 * Which relay publishes: the one whose connection of its own holds a session-level advisory lock
 * on the primary. The lock lives as long as that session, with no transaction open, so leading
 * costs the primary one idle connection; when the session ends (the instance stops, crashes, or
 * loses its connection) PostgreSQL releases the lock and another relay's next try takes it.
 */
final class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);
    /** Any constant shared by all relays; it spells "outbox". */
    static final long LOCK = 0x6f7574626f78L;

    private final Vertx vertx;
    private final PgConnectOptions options;
    private volatile PgConnection session;
    private volatile boolean held;
    private volatile boolean closed;

    Leadership(Vertx vertx, PgConnectOptions options) {
        this.vertx = vertx;
        this.options = new PgConnectOptions(options).addProperty("application_name", "ordersvc-relay");
    }

    boolean held() {
        return held;
    }

    /** Whether this instance leads, trying to take the lock when it does not; a lost session is opened anew. */
    Uni<Boolean> acquire() {
        if (held || closed) {
            return Uni.createFrom().item(held);
        }
        return session()
                .flatMap(s -> s.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(LOCK))
                        .map(rows -> taken(s, rows.iterator().next().getBoolean(0))));
    }

    /** Ends the session, which releases the lock; no later try takes it again. */
    void close() {
        closed = true;
        held = false;
        PgConnection s = session;
        if (s != null) {
            s.closeAndForget();
        }
    }

    private Uni<PgConnection> session() {
        PgConnection s = session;
        if (s != null) {
            return Uni.createFrom().item(s);
        }
        return PgConnection.connect(vertx, options).invoke(opened -> {
            session = opened;
            opened.closeHandler(() -> lost(opened));
        });
    }

    private boolean taken(PgConnection s, boolean locked) {
        if (locked && s == session && !closed) {
            held = true;
            LOG.infof("this relay leads: its session (pid %d) holds the outbox lock", s.processId());
        } else if (locked) {
            s.closeAndForget();
        }
        return held;
    }

    private void lost(PgConnection s) {
        if (s != session) {
            return;
        }
        session = null;
        if (held && !closed) {
            LOG.warn("this relay no longer leads: the session that held the outbox lock ended");
        }
        held = false;
    }
}
