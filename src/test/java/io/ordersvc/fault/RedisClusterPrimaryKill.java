package io.ordersvc.fault;

import io.ordersvc.fault.FaultScenarios.Goal;
import io.ordersvc.fault.FaultScenarios.Run;
import io.ordersvc.fault.FaultScenarios.Scenario;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The service on the stack's Redis Cluster (3 primaries, a replica each, {@code cluster-node-timeout}
 * 2 s) under the suite's load; one primary is killed (SIGKILL) and its replica takes over once the
 * other primaries agree that it failed. The primary killed is the one serving {@code {views}}, the
 * slot every read and write names (the active generation), besides a third of the orders.
 *
 * <p>Timed from the kill: the replica's promotion (its ROLE says master) and every surviving node's
 * {@code cluster_state:ok}. The promotion is the heal: the catch-up counts from it until every order
 * command acknowledged from 5 s before the kill to 1 s after the promotion is projected. The killed
 * node is then started again, as its pod would be, and rejoins as the new primary's replica.
 */
final class RedisClusterPrimaryKill {

    static final String NAME = "redis-cluster-primary-kill";
    private static final String GENERATION_KEY = "{views}:generation";
    /** Far above what a failover takes with a 2 s node timeout: past it, the run goes on and the goal is missed. */
    private static final Duration PROMOTION_BOUND = Duration.ofSeconds(30);
    private static final Duration REJOIN_BOUND = Duration.ofSeconds(60);

    private RedisClusterPrimaryKill() {
    }

    static Scenario scenario(Goal... common) {
        List<Goal> goals = new ArrayList<>(List.of(
                new Goal("the killed primary's replica promoted (failover, s from the kill)", m -> m.extras.get("failover_s"),
                        v -> v instanceof Number),
                new Goal("projection caught up ≤ 5 s after the promotion", m -> m.catchUpSeconds, FaultScenarios.atMost(5))));
        goals.addAll(List.of(common));
        return new Scenario(NAME, "Redis Cluster: the primary serving {views} killed (SIGKILL) mid-load; its replica takes over",
                1, RedisClusterPrimaryKill::killOnePrimary, goals).onRedisCluster();
    }

    static void killOnePrimary(Run run) throws Exception {
        Map<String, Integer> nodes = run.stack.redisClusterNodes();
        int primaryPort = new ClusterSlots(nodes.values()).portOf(GENERATION_KEY);
        int replicaPort = replicaOf(primaryPort, nodes);
        String primary = nameOf(primaryPort, nodes);
        run.extras.put("killed_primary", primary);
        run.extras.put("its_replica", nameOf(replicaPort, nodes));

        run.fault();
        run.stack.kill(primary);
        boolean promoted = awaitUntil(() -> "master".equals(roleOrNull(replicaPort)), PROMOTION_BOUND);
        // measuring goes on either way: an unpromoted replica is a missed goal, not a broken run
        run.heal();
        run.extras.put("failover_s", promoted ? run.since(run.faultAt, run.healAt) : null);
        boolean ok = awaitUntil(() -> survivorsOk(nodes, primaryPort), PROMOTION_BOUND);
        run.extras.put("cluster_ok_s", ok ? run.since(run.faultAt, System.nanoTime()) : "not within " + PROMOTION_BOUND);

        long restart = System.nanoTime();
        run.stack.start(primary);
        boolean rejoined = awaitUntil(() -> isReplicaOf(primaryPort, replicaPort), REJOIN_BOUND);
        run.extras.put("killed_primary_back_as_replica_s", rejoined ? run.since(restart, System.nanoTime())
                : "not within " + REJOIN_BOUND + " (role " + roleOrNull(primaryPort) + ")");
    }

    /** The node whose ROLE says it replicates {@code primaryPort}, with its link up. */
    private static int replicaOf(int primaryPort, Map<String, Integer> nodes) throws IOException {
        for (int port : nodes.values()) {
            if (port != primaryPort && isReplicaOf(port, primaryPort)) {
                return port;
            }
        }
        throw new IllegalStateException("no replica of the primary on port " + primaryPort);
    }

    private static boolean isReplicaOf(int port, int primaryPort) {
        try {
            List<?> role = (List<?>) RedisWire.call(port, "ROLE");
            return "slave".equals(role.get(0)) && String.valueOf(primaryPort).equals(String.valueOf(role.get(2)))
                    && "connected".equals(role.get(3));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean survivorsOk(Map<String, Integer> nodes, int killedPort) {
        try {
            for (int port : nodes.values()) {
                if (port != killedPort && !"ok".equals(RedisWire.clusterInfo(port).get("cluster_state"))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String roleOrNull(int port) {
        try {
            return RedisWire.role(port);
        } catch (IOException e) {
            return null;
        }
    }

    private static String nameOf(int port, Map<String, Integer> nodes) {
        return nodes.entrySet().stream().filter(n -> n.getValue() == port).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node on port " + port));
    }

    /** Polls every 50 ms: the failover's timing is read from when this first holds. */
    private static boolean awaitUntil(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Instances.sleep(50);
        }
        return false;
    }
}
