package io.ordersvc.query;

import io.ordersvc.cluster.OnRedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link AwaitingShipmentTest}, every specification of it, on a Redis Cluster: the queue and its stream in a slot of their own. */
@QuarkusTest
@TestProfile(OnRedisCluster.class)
class AwaitingShipmentOnRedisClusterTest extends AwaitingShipmentTest {
}
