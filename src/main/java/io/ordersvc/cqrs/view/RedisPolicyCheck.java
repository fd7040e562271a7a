package io.ordersvc.cqrs.view;

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
 * stay. It warns at start-up when Redis is set otherwise.
 */
@ApplicationScoped
public class RedisPolicyCheck {

    static final Set<String> EXPECTED = Set.of("volatile-lru", "volatile-lfu", "volatile-ttl");
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
        return Uni.combine().all().unis(setting("maxmemory"), setting("maxmemory-policy")).asTuple()
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
