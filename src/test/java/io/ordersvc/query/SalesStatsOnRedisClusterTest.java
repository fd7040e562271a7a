package io.ordersvc.query;

import io.ordersvc.cluster.OnRedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link SalesStatsTest}, every specification of it, on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisCluster.class)
class SalesStatsOnRedisClusterTest extends SalesStatsTest {
}
