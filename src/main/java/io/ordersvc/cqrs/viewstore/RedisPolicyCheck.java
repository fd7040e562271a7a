package io.ordersvc.cqrs.viewstore;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The service expects Redis to have a memory limit and to evict only keys with a time to live:
 * views of finished orders carry one and are rebuilt on a miss, while indexes and live views must
 * stay. It also expects small stream nodes: Redis allocates a stream node at {@code
 * stream-node-max-bytes} however few entries it holds, and every order has a stream of its own with
 * one to four, so that at the default of 4 KB the node is most of an order's memory. It warns at
 * start-up when Redis is set otherwise.
 */
@ApplicationScoped
public class RedisPolicyCheck {

    static final Set<String> EXPECTED = Set.of("volatile-lru", "volatile-lfu", "volatile-ttl");
    /** Past this, an order's own stream costs Redis more than the rest of the order. */
    static final long STREAM_NODE_BYTES = 1024;
    private static final Logger LOG = Logger.getLogger(RedisPolicyCheck.class);

    private final ReactiveRedisDataSource redis;

    RedisPolicyCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    void check(@Observes StartupEvent event) {
        problems().subscribe().with(found -> found.forEach(LOG::warn),
                failure -> LOG.warnf("could not read the Redis memory policy: %s", failure.toString()));
    }

    /** What is off in the Redis memory settings; empty when they are as expected. */
    public Uni<List<String>> problems() {
        return Uni.combine().all().unis(setting("maxmemory"), setting("maxmemory-policy"), setting("stream-node-max-bytes")).asTuple()
                .map(settings -> {
                    List<String> problems = new ArrayList<>();
                    if ("0".equals(settings.getItem1())) {
                        problems.add("Redis has no maxmemory: set one, with maxmemory-policy volatile-lru, so that "
                                + "memory pressure evicts rebuildable views instead of failing writes");
                    }
                    if (!EXPECTED.contains(settings.getItem2())) {
                        problems.add("Redis maxmemory-policy is " + settings.getItem2() + "; expected one of " + EXPECTED
                                + ", which evict only views with a time to live");
                    }
                    if (!settings.getItem3().isEmpty() && Long.parseLong(settings.getItem3()) > STREAM_NODE_BYTES) {
                        problems.add("Redis stream-node-max-bytes is " + settings.getItem3() + "; at most " + STREAM_NODE_BYTES
                                + " (512 advised): each order's change stream takes a whole node of that size");
                    }
                    return problems;
                });
    }

    /** CONFIG GET answers a map (RESP3) or a name, value list (RESP2). */
    private Uni<String> setting(String name) {
        return redis.execute("CONFIG", "GET", name).map(reply -> {
            try {
                if (reply.containsKey(name)) {
                    return reply.get(name).toString();
                }
            } catch (UnsupportedOperationException notAMap) {
                // a RESP2 list
            }
            return reply.size() >= 2 ? reply.get(1).toString() : "";
        });
    }
}
