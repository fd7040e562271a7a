package io.ordersvc.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The stack's optional Redis Cluster: three primaries ({@code redis-cluster-1..3}) and a replica of
 * each ({@code redis-cluster-4..6}), every node a {@link RedisServer} of its own. It is formed over
 * RESP, as {@code redis-cli --cluster create} would, since CI has no redis-cli. Every step first
 * checks whether it is done already, so forming again is safe: after a second {@code up}, after a
 * crash half-way, or once a failover has swapped a primary and its replica.
 */
final class RedisCluster {

    private static final String NODE_PREFIX = "redis-cluster-";
    private static final int SLOTS = 16_384;
    private static final int PRIMARIES = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    /** Generous: forming takes a few seconds (a fresh primary alone holds off cluster_state:ok for 2 s), more on a busy machine. */
    private static final Duration FORMING_TIMEOUT = Duration.ofSeconds(30);

    private final Path home;
    private final List<RedisServer> nodes;

    RedisCluster(Path home, Path binary, List<Integer> ports) {
        this.home = home;
        this.nodes = IntStream.range(0, ports.size())
                .mapToObj(i -> RedisServer.clusterNode(NODE_PREFIX + (i + 1), home.resolve(NODE_PREFIX + (i + 1)),
                        binary, ports.get(i)))
                .toList();
    }

    List<RedisServer> nodes() {
        return nodes;
    }

    Optional<RedisServer> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Whether it was ever started in this stack: only then do {@code down}, {@code status} and {@code env} speak of it. */
    boolean exists() {
        return Files.isDirectory(home);
    }

    /**
     * Starts the nodes that are not running, forms the cluster if it is not formed yet, and waits
     * until it serves every slot with a replica behind each primary. Answers the nodes it started.
     */
    List<String> up() {
        List<String> started = new ArrayList<>();
        for (RedisServer node : nodes) {
            if (!node.isRunning()) {
                node.start();
                started.add(node.name());
            }
        }
        try {
            form();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!OsProcesses.waitUntil(this::isHealthy, FORMING_TIMEOUT)) {
            throw new IllegalStateException("the Redis Cluster did not become ok in " + FORMING_TIMEOUT + "; see the logs"
                    + " under " + home + ", or stop it and delete that directory to form it anew");
        }
        return started;
    }

    /** {@code master} or {@code replica}, as the running node says (ROLE). */
    Optional<String> role(RedisServer node) {
        try {
            Object role = ((List<?>) RedisCall.call(node.port(), CALL_TIMEOUT, "ROLE")).get(0);
            return Optional.of("slave".equals(role) ? "replica" : String.valueOf(role));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every node says cluster_state:ok, and each of three primaries has one replica in sync with it. */
    boolean isHealthy() {
        try {
            List<Integer> primaries = new ArrayList<>();
            List<Integer> primariesOfReplicas = new ArrayList<>();
            for (RedisServer node : nodes) {
                if (!"ok".equals(info(node).get("cluster_state"))) {
                    return false;
                }
                List<?> role = (List<?>) RedisCall.call(node.port(), CALL_TIMEOUT, "ROLE");
                if ("master".equals(role.get(0))) {
                    primaries.add(node.port());
                } else if ("connected".equals(role.get(3))) {
                    primariesOfReplicas.add(Integer.parseInt(role.get(2).toString()));
                }
            }
            return primaries.size() == PRIMARIES && Set.copyOf(primariesOfReplicas).equals(Set.copyOf(primaries))
                    && primariesOfReplicas.size() == PRIMARIES;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Slots and config epochs go to each primary while it is still alone (the only time Redis takes
     * an epoch), then the first node meets the others, then each replica follows its primary.
     */
    private void form() throws IOException {
        for (int i = 0; i < PRIMARIES; i++) {
            claimSlotsWhileAlone(nodes.get(i), i);
        }
        RedisServer first = nodes.get(0);
        Set<Integer> known = known(first).keySet();
        for (RedisServer other : nodes.subList(1, nodes.size())) {
            if (!known.contains(other.port())) {
                RedisCall.call(first.port(), CALL_TIMEOUT, "CLUSTER", "MEET", "127.0.0.1", String.valueOf(other.port()));
            }
        }
        if (!OsProcesses.waitUntil(this::everyNodeKnowsEveryOther, FORMING_TIMEOUT)) {
            throw new IllegalStateException("the Redis Cluster's nodes did not meet in " + FORMING_TIMEOUT);
        }
        for (int i = 0; i < PRIMARIES; i++) {
            followWhileUnassigned(nodes.get(PRIMARIES + i), nodes.get(i));
        }
    }

    private void claimSlotsWhileAlone(RedisServer primary, int index) throws IOException {
        Map<Integer, Entry> known = known(primary);
        Entry self = known.get(primary.port());
        if (known.size() > 1 || !self.slots().isEmpty()) {
            return;
        }
        if (self.configEpoch() == 0) {
            RedisCall.call(primary.port(), CALL_TIMEOUT, "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(index + 1));
        }
        List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        IntStream.range(index * SLOTS / PRIMARIES, (index + 1) * SLOTS / PRIMARIES)
                .forEach(slot -> command.add(String.valueOf(slot)));
        RedisCall.call(primary.port(), CALL_TIMEOUT, command.toArray(String[]::new));
    }

    /** Only a node that is still an empty primary is made a replica: one that took over from its primary stays. */
    private void followWhileUnassigned(RedisServer replica, RedisServer primary) throws IOException {
        Entry self = known(replica).get(replica.port());
        if (self.flags().contains("master") && self.slots().isEmpty()) {
            String primaryId = known(primary).get(primary.port()).id();
            RedisCall.call(replica.port(), CALL_TIMEOUT, "CLUSTER", "REPLICATE", primaryId);
        }
    }

    private boolean everyNodeKnowsEveryOther() {
        Set<Integer> all = nodes.stream().map(RedisServer::port).collect(Collectors.toSet());
        try {
            for (RedisServer node : nodes) {
                if (!known(node).keySet().equals(all)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CLUSTER INFO as its {@code key:value} lines. */
    private static Map<String, String> info(RedisServer node) throws IOException {
        return RedisCall.text(node.port(), CALL_TIMEOUT, "CLUSTER", "INFO").lines()
                .filter(line -> line.contains(":"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
                        line -> line.substring(line.indexOf(':') + 1).trim()));
    }

    /** The nodes this one knows (CLUSTER NODES, itself included) by port, leaving out handshakes under way. */
    private static Map<Integer, Entry> known(RedisServer node) throws IOException {
        Map<Integer, Entry> entries = new LinkedHashMap<>();
        RedisCall.text(node.port(), CALL_TIMEOUT, "CLUSTER", "NODES").lines()
                .filter(line -> !line.isBlank())
                .map(line -> Entry.parse(line, node.port()))
                .filter(e -> !e.flags().contains("handshake"))
                .forEach(e -> entries.put(e.port(), e));
        return entries;
    }

    /** One line of CLUSTER NODES: {@code id ip:port@bus flags master ping pong epoch link slot...}. */
    private record Entry(String id, int port, Set<String> flags, long configEpoch, List<String> slots) {

        /** {@code ownPort} is the asked node's: alone, a node may not know its own address yet. */
        static Entry parse(String line, int ownPort) {
            String[] f = line.trim().split(" ");
            Set<String> flags = Set.of(f[2].split(","));
            String address = f[1].substring(0, f[1].indexOf('@'));
            int port = flags.contains("myself") ? ownPort : Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            return new Entry(f[0], port, flags, Long.parseLong(f[6]), Arrays.asList(f).subList(8, f.length));
        }
    }
}
