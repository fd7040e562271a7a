package io.ordersvc.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Redis on loopback, with an append-only file so that a restart keeps the read model, and the
 * memory policy the service expects (evict only views with a time to live). The same binary runs
 * the stack's single Redis and each node of its optional Redis Cluster.
 */
final class RedisServer implements StackServer {

    /** Short, so that a replica takes over a lost primary in seconds rather than the default's 15 s and more. */
    static final Duration CLUSTER_NODE_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final Path home;
    private final Path binary;
    private final int port;
    private final List<String> extraOptions;

    private RedisServer(String name, Path home, Path binary, int port, List<String> extraOptions) {
        this.name = name;
        this.home = home;
        this.binary = binary;
        this.port = port;
        this.extraOptions = List.copyOf(extraOptions);
    }

    /** The stack's single Redis, the one the service uses. */
    static RedisServer single(Path home, Path binary, int port) {
        return new RedisServer(LocalStack.REDIS, home, binary, port, List.of());
    }

    /**
     * A node of a Redis Cluster. Its view of the cluster (nodes.conf) lives beside its data, so a
     * node started again rejoins as what it was, and a lost disk ({@link #wipe}) forgets both.
     */
    static RedisServer clusterNode(String name, Path home, Path binary, int port) {
        return new RedisServer(name, home, binary, port, List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", String.valueOf(CLUSTER_NODE_TIMEOUT.toMillis())));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    private Path pidFile() {
        return home.resolve("redis.pid");
    }

    private Optional<ProcessHandle> process() {
        return OsProcesses.readPid(pidFile()).flatMap(pid -> OsProcesses.ours(pid, binary.toString()));
    }

    @Override
    public boolean isRunning() {
        return process().isPresent() && answersPing();
    }

    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(home.resolve("data"));
            binary.toFile().setExecutable(true, false);
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                    "--dir", home.resolve("data").toString(), "--save", "",
                    "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no",
                    "--maxmemory", "512mb", "--maxmemory-policy", "volatile-lru",
                    // as k8s/base/servers/redis.conf, for memory per order (see RedisPolicyCheck)
                    "--stream-node-max-bytes", "512", "--hash-max-ziplist-value", "1024"));
            command.addAll(extraOptions);
            long pid = OsProcesses.spawn(home, command, home.resolve("redis.log"));
            Files.writeString(pidFile(), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!OsProcesses.waitUntil(this::isRunning, Duration.ofSeconds(15))) {
            throw new IllegalStateException(name + " did not start; see " + home.resolve("redis.log"));
        }
    }

    /**
     * SIGTERM, sent again every half second: Redis refuses one while it writes its first AOF (as a
     * replica does right after a full sync) and then forgets it, which would cost the whole grace.
     */
    @Override
    public void stop() {
        process().ifPresent(p -> {
            for (int attempt = 0; attempt < 20 && p.isAlive(); attempt++) {
                p.destroy();
                OsProcesses.waitUntil(() -> !p.isAlive(), Duration.ofMillis(500));
            }
            OsProcesses.terminate(p, Duration.ofSeconds(1));
        });
    }

    @Override
    public Optional<ProcessHandle> mainProcess() {
        return process();
    }

    @Override
    public void kill() {
        process().ifPresent(OsProcesses::kill);
    }

    /** Kills it and deletes its data, as a lost disk would: the next start begins empty. */
    void wipe() {
        kill();
        OsProcesses.deleteTree(home.resolve("data"));
    }

    private boolean answersPing() {
        try {
            return "PONG".equals(RedisCall.call(port, Duration.ofMillis(500), "PING"));
        } catch (IOException e) {
            return false;
        }
    }
}
