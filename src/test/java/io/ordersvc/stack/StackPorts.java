package io.ordersvc.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The loopback ports of one stack, kept beside it so that restarts and other processes find them.
 * {@code redisCluster} holds one port per node of the optional Redis Cluster, taken whether or not
 * the cluster is ever started, so that starting it later needs no new ports.
 */
public record StackPorts(int postgres, int replica, int redis, int kafka, int kafkaController, int keycloak,
        List<Integer> redisCluster) {

    public static final int REDIS_CLUSTER_NODES = 6;

    /** A cluster node also listens on its port + 10000 (its cluster bus; Redis 6 has no setting for it). */
    static final int CLUSTER_BUS_OFFSET = 10_000;

    public StackPorts {
        redisCluster = List.copyOf(redisCluster);
        if (redisCluster.size() != REDIS_CLUSTER_NODES) {
            throw new IllegalArgumentException(REDIS_CLUSTER_NODES + " Redis Cluster ports, not " + redisCluster);
        }
    }

    /** Fixed ports for dev mode, so that application.properties can name them. */
    public static StackPorts dev() {
        return new StackPorts(15432, 15433, 16379, 19092, 19093, 18180, List.of(17000, 17001, 17002, 17003, 17004, 17005));
    }

    /** Free ports, all different (the kernel may hand out a port it just freed again). */
    public static StackPorts free() {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < 6) {
            ports.add(OsProcesses.freePort());
        }
        List<Integer> p = List.copyOf(ports);
        return new StackPorts(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5), freeClusterPorts());
    }

    /**
     * Free ports whose bus port (+10000) is free too. They are taken below the kernel's ephemeral
     * range (32768 and up), so that neither a node nor its bus collides with another socket's port.
     */
    private static List<Integer> freeClusterPorts() {
        Random random = new Random();
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < REDIS_CLUSTER_NODES) {
            int port = 20_000 + random.nextInt(32_768 - CLUSTER_BUS_OFFSET - 20_000);
            if (OsProcesses.canBind(port) && OsProcesses.canBind(port + CLUSTER_BUS_OFFSET)) {
                ports.add(port);
            }
        }
        return List.copyOf(ports);
    }

    /**
     * The ports saved in {@code file}; a file from before the Redis Cluster or Keycloak takes their ports
     * from {@code defaults}.
     */
    static Optional<StackPorts> load(Path file, StackPorts defaults) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            return Optional.of(new StackPorts(port(p, "postgres"), port(p, "replica"), port(p, "redis"),
                    port(p, "kafka"), port(p, "kafka.controller"),
                    p.containsKey("keycloak") ? port(p, "keycloak") : defaults.keycloak(), clusterPorts(p, defaults)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void save(Path file) {
        Properties p = new Properties();
        p.setProperty("postgres", String.valueOf(postgres));
        p.setProperty("replica", String.valueOf(replica));
        p.setProperty("redis", String.valueOf(redis));
        p.setProperty("kafka", String.valueOf(kafka));
        p.setProperty("kafka.controller", String.valueOf(kafkaController));
        p.setProperty("keycloak", String.valueOf(keycloak));
        p.setProperty("redis.cluster", redisCluster.stream().map(String::valueOf).collect(Collectors.joining(",")));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "ports of this local stack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> clusterPorts(Properties p, StackPorts defaults) {
        String list = p.getProperty("redis.cluster");
        if (list == null) {
            return defaults.redisCluster();
        }
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static int port(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key).trim());
    }
}
