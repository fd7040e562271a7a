package io.ordersvc.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The test stack's streaming replica, as its superuser: its replay of the primary's log paused, so
 * that it lags behind the primary for as long as a test needs, and resumed.
 */
public final class Replica {

    private Replica() {
    }

    /** The replica stops replaying: what the primary commits from now on, it does not have until {@link #resume}. */
    public static void pause() throws SQLException {
        replay("pause");
    }

    public static void resume() throws SQLException {
        replay("resume");
    }

    /** The version of the aggregate the replica has replayed: that of its latest event there, 0 for none. */
    public static long version(UUID aggregateId) throws SQLException {
        try (Connection c = superuser();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(version), 0) FROM events WHERE aggregate_id = ?")) {
            s.setObject(1, aggregateId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void replay(String what) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_" + what + "()");
        }
    }

    private static Connection superuser() throws SQLException {
        int port = Integer.parseInt(ConfigProvider.getConfig().getValue("quarkus.datasource.replica.reactive.url", String.class)
                .replaceAll(".*:(\\d+)/.*", "$1"));
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/orders", "postgres", "");
    }
}
