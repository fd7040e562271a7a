package io.ordersvc.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Redis Cluster of 3 primaries and 3 replicas, in a stack directory of its own, for the
 * specifications that run on a cluster as well as on the single Redis: the service is pointed at it
 * ({@code quarkus.redis.client-type=cluster}) and uses the suite's stack for everything else. Ordered
 * after {@link StackTestResource}, so that its Redis settings are the ones that hold.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        stack = LocalStack.fresh(Path.of(System.getProperty("stack.dir", "target/stack-test") + "-redis-cluster"),
                LocalStack.defaultDist());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::down, "redis-cluster-down"));
        stack.upRedisCluster();
        System.out.printf("Redis Cluster up in %.1f s, nodes %s%n", (System.nanoTime() - t0) / 1e9, stack.redisClusterNodes());
        return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", String.join(",", stack.redisClusterHosts()));
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.down();
        }
    }

    @Override
    public int order() {
        return 10;
    }
}
