package io.ordersvc.support;

import io.quarkus.redis.datasource.RedisDataSource;

/** Keys of views in the active generation, as the service names them in Redis. */
public final class Views {

    private Views() {
    }

    /** A subject's counted version in the active generation (see {@code Counting}), null when none is kept. */
    public static String counted(RedisDataSource redis, String subject) {
        return redis.value(String.class).get(key(redis, "counted:" + subject));
    }

    public static String key(RedisDataSource redis, String name) {
        String generation = redis.value(String.class).get("views:generation");
        return "g" + (generation == null ? "1" : generation) + ":" + name;
    }
}
