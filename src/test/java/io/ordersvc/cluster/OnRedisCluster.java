package io.ordersvc.cluster;

import io.ordersvc.stack.RedisClusterTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The service on a Redis Cluster of 3 primaries and 3 replicas instead of the single Redis: the
 * profile of the specifications that must hold on both topologies.
 */
public class OnRedisCluster implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisClusterTestResource.class));
    }
}
