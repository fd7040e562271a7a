package io.ordersvc.support;

import io.quarkus.redis.datasource.RedisDataSource;

/** Keys of views in the active generation, as the service names them in Redis. */
public final class Views {

    private Views() {
    }

    public static String key(RedisDataSource redis, String name) {
        String generation = redis.value(String.class).get("views:generation");
        return "g" + (generation == null ? "1" : generation) + ":" + name;
    }
}
