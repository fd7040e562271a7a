package io.ordersvc.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One PostgreSQL instance: the primary, or a hot-standby streaming replica of it. PostgreSQL
 * refuses to run as root, so as root every command runs as an unprivileged user.
 */
final class PostgresServer implements StackServer {

    static final String DATABASE = "orders";
    static final String USER = "orders";
    static final String PASSWORD = "orders";

    private final String name;
    private final Path home;
    private final Path bin;
    private final int port;
    private final Optional<String> runAs;

    PostgresServer(String name, Path home, Path bin, int port, Optional<String> runAs) {
        this.name = name;
        this.home = home;
        this.bin = bin;
        this.port = port;
        this.runAs = runAs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    Path home() {
        return home;
    }

    Path data() {
        return home.resolve("data");
    }

    /** Set only once the data directory is complete, so a run that died half-way is redone. */
    private Path initializedMarker() {
        return home.resolve("initialized");
    }

    boolean isInitialized() {
        return Files.exists(initializedMarker());
    }

    @Override
    public boolean isRunning() {
        return postmaster().isPresent() && OsProcesses.portOpen(port);
    }

    private Optional<ProcessHandle> postmaster() {
        return OsProcesses.readPid(data().resolve("postmaster.pid"))
                .flatMap(pid -> OsProcesses.ours(pid, data().toString()));
    }

    /** A fresh primary: initdb, the application's role and database, settings for streaming. */
    void initPrimary() {
        reset();
        pg(List.of(bin("initdb"), "-D", data().toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-locale"));
        appendConfig("""
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                max_connections = 300
                wal_level = replica
                max_wal_senders = 10
                wal_keep_size = '1GB'
                hot_standby = on
                hot_standby_feedback = on
                shared_buffers = '256MB'
                """);
        singleUser("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'\n"
                + "CREATE DATABASE " + DATABASE + " OWNER " + USER + "\n");
        markInitialized();
    }

    /**
     * A replica made from a copy of the cleanly stopped primary's data directory: the same system
     * identifier and timeline, so it streams from where the copy ends.
     */
    void initReplicaOf(PostgresServer primary) {
        if (primary.isRunning()) {
            throw new IllegalStateException("the primary must be stopped to be copied");
        }
        reset();
        pg(List.of("cp", "-a", primary.data().toString(), data().toString()));
        pg(List.of("rm", "-f", data().resolve("postmaster.pid").toString()));
        pg(List.of("touch", data().resolve("standby.signal").toString()));
        appendConfig("primary_conninfo = 'host=127.0.0.1 port=" + primary.port()
                + " user=postgres application_name=" + name + "'\n");
        markInitialized();
    }

    /** The port is set at every start, so a configured port change takes effect on restart. */
    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        removeStalePidFile();
        pg(List.of(bin("pg_ctl"), "-D", data().toString(), "-l", home.resolve("server.log").toString(),
                "-o", "-p " + port, "-w", "-t", "60", "start"));
        if (!OsProcesses.waitUntil(this::isRunning, Duration.ofSeconds(30))) {
            throw new IllegalStateException(name + " did not start; see " + home.resolve("server.log"));
        }
    }

    @Override
    public void stop() {
        Optional<ProcessHandle> pm = postmaster();
        if (pm.isEmpty()) {
            return;
        }
        try {
            pg(List.of(bin("pg_ctl"), "-D", data().toString(), "-m", "fast", "-w", "-t", "30", "stop"));
        } catch (IllegalStateException e) {
            OsProcesses.terminate(pm.get(), Duration.ofSeconds(5));
        }
        OsProcesses.waitUntil(() -> !pm.get().isAlive(), Duration.ofSeconds(10));
    }

    @Override
    public Optional<ProcessHandle> mainProcess() {
        return postmaster();
    }

    @Override
    public void kill() {
        postmaster().ifPresent(pm -> {
            List<ProcessHandle> backends = pm.descendants().toList();
            OsProcesses.kill(pm);
            backends.forEach(OsProcesses::kill);
        });
    }

    /** A crash leaves postmaster.pid behind; PostgreSQL may refuse it when the pid was reused. */
    private void removeStalePidFile() {
        Path pidFile = data().resolve("postmaster.pid");
        if (Files.exists(pidFile) && postmaster().isEmpty()) {
            pg(List.of("rm", "-f", pidFile.toString()));
        }
    }

    private void reset() {
        stop();
        pg(List.of("rm", "-rf", data().toString(), initializedMarker().toString()));
    }

    private void markInitialized() {
        pg(List.of("touch", initializedMarker().toString()));
    }

    private void appendConfig(String lines) {
        pg(List.of("sh", "-c", "cat >> \"$0\" <<'EOF'\n" + lines + "EOF", data().resolve("postgresql.conf").toString()));
    }

    private void singleUser(String sql) {
        pg(List.of("sh", "-c", "printf '%s' \"$1\" | \"$0\" --single -D \"$2\" postgres", bin("postgres"), sql,
                data().toString()));
    }

    private String bin(String tool) {
        return bin.resolve(tool).toString();
    }

    private void pg(List<String> command) {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        OsProcesses.run(home, full, Duration.ofSeconds(90));
    }
}
