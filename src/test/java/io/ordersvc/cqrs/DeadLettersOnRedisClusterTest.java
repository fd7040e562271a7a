package io.ordersvc.cqrs;

import io.ordersvc.cluster.OnRedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link DeadLettersTest}, every specification of it, on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisCluster.class)
class DeadLettersOnRedisClusterTest extends DeadLettersTest {
}
