package io.ordersvc.orders;

import io.ordersvc.cluster.OnRedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ProjectorReplayTest}, every specification of it, on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisCluster.class)
class ProjectorReplayOnRedisClusterTest extends ProjectorReplayTest {
}
