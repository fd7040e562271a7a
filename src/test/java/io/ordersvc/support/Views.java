package io.ordersvc.support;

import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.orders.projection.SalesProjection;
import io.quarkus.redis.datasource.RedisDataSource;
import java.util.UUID;

/** Keys of views in the active generation, as the service names them in Redis. */
public final class Views {

    private Views() {
    }

    /** An order's counted version in the active generation (see {@code Counting}), null when none is kept. */
    public static String counted(RedisDataSource redis, UUID orderId) {
        return redis.value(String.class).get(countedKey(redis, orderId));
    }

    /** The key of an order's counted version in the active generation: in its sales stripe's slot. */
    public static String countedKey(RedisDataSource redis, UUID orderId) {
        return key(redis, "counted:{" + SalesProjection.slotOf(orderId) + "}:" + OrderView.key(orderId));
    }

    /** The key of an order's view in the active generation. */
    public static String order(RedisDataSource redis, UUID orderId) {
        return key(redis, OrderView.key(orderId));
    }

    public static String key(RedisDataSource redis, String name) {
        return "g" + generation(redis) + ":" + name;
    }

    /** The active generation, 1 when Redis names none. */
    public static long generation(RedisDataSource redis) {
        String generation = redis.value(String.class).get(ViewStore.ACTIVE_GENERATION);
        return generation == null ? 1 : Long.parseLong(generation);
    }
}
