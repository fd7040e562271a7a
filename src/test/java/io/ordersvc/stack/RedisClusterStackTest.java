package io.ordersvc.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack's Redis Cluster ({@code LocalStack up --redis-cluster}), run as real processes
 * on free ports in a stack of its own. It is checked through the Vert.x Redis client, another
 * implementation of the protocol than the one the stack forms the cluster with.
 */
class RedisClusterStackTest {

    private static final Duration REPLY = Duration.ofSeconds(5);
    private static LocalStack stack;
    private static Vertx vertx;

    @BeforeAll
    static void aClusterOnFreePorts() {
        stack = LocalStack.fresh(Path.of("target/stack-redis-cluster"), LocalStack.defaultDist());
        stack.upRedisCluster();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @Test
    void a_cluster_of_three_primaries_and_three_replicas_covers_every_slot() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int port : stack.redisClusterNodes().values()) {
                Map<String, String> info = clusterInfo(port);
                assertThat(info).containsEntry("cluster_state", "ok").containsEntry("cluster_slots_assigned", "16384")
                        .containsEntry("cluster_known_nodes", "6").containsEntry("cluster_size", "3");
            }
            Map<Integer, Integer> primaryOfReplica = primaryOfEachReplica();
            assertThat(primaryOfReplica).hasSize(3);
            assertThat(Set.copyOf(primaryOfReplica.values())).isEqualTo(primaries());
        });
    }

    @Test
    void a_key_written_through_a_cluster_client_is_read_back_whichever_primary_holds_its_slot() {
        Map<String, String> written = IntStream.range(0, 60).mapToObj(i -> "order:" + UUID.randomUUID())
                .collect(Collectors.toMap(Function.identity(), key -> "placed-" + key, (a, b) -> a, LinkedHashMap::new));
        withClusterClient(redis -> written.forEach((key, value) -> call(redis, Request.cmd(Command.SET).arg(key).arg(value))));

        withClusterClient(redis -> written.forEach((key, value) ->
                assertThat(call(redis, Request.cmd(Command.GET).arg(key))).hasToString(value)));
        Set<Integer> owners = new HashSet<>();
        written.keySet().forEach(key -> owners.add(primaryOf(key)));
        assertThat(owners).as("60 keys land on every primary").isEqualTo(primaries());
    }

    @Test
    void a_replica_takes_over_a_killed_primary_and_the_primary_started_again_rejoins_as_its_replica() {
        String key = "order:" + UUID.randomUUID();
        withClusterClient(redis -> call(redis, Request.cmd(Command.SET).arg(key).arg("confirmed")));
        int primaryPort = primaryOf(key);
        int replicaPort = primaryOfEachReplica().entrySet().stream().filter(e -> e.getValue() == primaryPort)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String primary = nameOf(primaryPort);

        long killedAt = System.nanoTime();
        stack.kill(primary);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(role(replicaPort).get(0)).hasToString("master");
                for (int port : stack.redisClusterNodes().values()) {
                    if (port != primaryPort) {
                        assertThat(clusterInfo(port)).containsEntry("cluster_state", "ok");
                    }
                }
            });
            System.out.printf("%s's replica took over in %.1f s%n", primary, (System.nanoTime() - killedAt) / 1e9);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> withClusterClient(redis ->
                    assertThat(call(redis, Request.cmd(Command.GET).arg(key))).hasToString("confirmed")));
        } finally {
            stack.start(primary);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Response> role = role(primaryPort);
            assertThat(role.get(0)).hasToString("slave");
            assertThat(role.get(2).toInteger()).isEqualTo(replicaPort);
            assertThat(role.get(3)).hasToString("connected");
            assertThat(clusterInfo(primaryPort)).containsEntry("cluster_state", "ok");
        });
    }

    /** The current primaries' ports, as CLUSTER SLOTS names them. */
    private static Set<Integer> primaries() {
        return clusterSlots().stream().map(range -> range.get(2).get(1).toInteger()).collect(Collectors.toSet());
    }

    /** The port of the primary that serves this key's slot now. */
    private static int primaryOf(String key) {
        int slot = send(anyNode(), Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key)).toInteger();
        return clusterSlots().stream()
                .filter(range -> range.get(0).toInteger() <= slot && slot <= range.get(1).toInteger())
                .map(range -> range.get(2).get(1).toInteger())
                .findFirst().orElseThrow();
    }

    /** Each replica whose link to its primary is up (ROLE), by port, with its primary's port. */
    private static Map<Integer, Integer> primaryOfEachReplica() {
        Map<Integer, Integer> primaryOf = new LinkedHashMap<>();
        for (int port : stack.redisClusterNodes().values()) {
            List<Response> role = role(port);
            if (role.get(0).toString().equals("slave") && role.get(3).toString().equals("connected")) {
                primaryOf.put(port, role.get(2).toInteger());
            }
        }
        return primaryOf;
    }

    private static List<Response> clusterSlots() {
        return send(anyNode(), Request.cmd(Command.CLUSTER).arg("SLOTS")).stream().toList();
    }

    private static List<Response> role(int port) {
        return send(port, Request.cmd(Command.ROLE)).stream().toList();
    }

    private static Map<String, String> clusterInfo(int port) {
        return send(port, Request.cmd(Command.CLUSTER).arg("INFO")).toString().lines()
                .filter(line -> line.contains(":"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
                        line -> line.substring(line.indexOf(':') + 1).trim()));
    }

    /** The first node that runs: a test kills one node at most. */
    private static int anyNode() {
        return stack.redisClusterNodes().entrySet().stream().filter(node -> stack.isRunning(node.getKey()))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static String nameOf(int port) {
        return stack.redisClusterNodes().entrySet().stream().filter(node -> node.getValue() == port)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** One command to the node on this port alone. */
    private static Response send(int port, Request request) {
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2));
        try {
            return call(redis, request);
        } finally {
            redis.close();
        }
    }

    /** A new cluster client each time, so that it learns the slots' owners afresh (after a failover too). */
    private static void withClusterClient(Consumer<Redis> use) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2);
        stack.redisClusterHosts().forEach(options::addConnectionString);
        Redis redis = Redis.createClient(vertx, options);
        try {
            use.accept(redis);
        } finally {
            redis.close();
        }
    }

    private static Response call(Redis redis, Request request) {
        Future<Response> reply = redis.send(request);
        try {
            return reply.toCompletionStage().toCompletableFuture().get(REPLY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(request + " failed", e);
        }
    }
}
