package io.ordersvc.cqrs.rebuild;

import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Work on every key that matches a pattern, whatever the topology: a scan of a single Redis, or of
 * each primary of a Redis Cluster in turn (a scan sees the keys of the node it runs on only). Keys
 * are unlinked one command each, in one round trip per page, since a cluster refuses a command
 * whose keys lie in several slots. Each server is reached on a connection of its own, for the scan
 * only.
 */
@ApplicationScoped
class RedisNodes {

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final boolean cluster;
    /** The first configured server: its scheme and credentials reach every primary of a cluster. */
    private final URI seed;

    RedisNodes(ReactiveRedisDataSource redis, Vertx vertx, ReadModelRedis readModels,
            @ConfigProperty(name = "quarkus.redis.hosts") List<String> hosts) {
        this.redis = redis;
        this.vertx = vertx;
        this.cluster = readModels.cluster();
        this.seed = URI.create(hosts.get(0).strip());
    }

    /** Unlinks every key that matches {@code pattern}, on every primary. */
    Uni<Void> unlinkAll(String pattern) {
        Uni<List<String>> servers = cluster ? primaries() : Uni.createFrom().item(List.of(seed.toString()));
        return servers.onItem().transformToMulti(all -> Multi.createFrom().iterable(all))
                .onItem().transformToUniAndConcatenate(server -> onServer(server, c -> unlink(c, pattern, "0")))
                .collect().last().replaceWithVoid();
    }

    /** The URI of each primary, from {@code CLUSTER NODES}, with the seed's scheme and credentials. */
    private Uni<List<String>> primaries() {
        return redis.execute("CLUSTER", "NODES").map(reply -> {
            String credentials = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
            List<String> primaries = new ArrayList<>();
            for (String line : reply.toString().split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                    primaries.add(seed.getScheme() + "://" + credentials + f[1].split("@")[0]);
                }
            }
            return primaries;
        });
    }

    private Uni<Void> onServer(String uri, Function<RedisConnection, Uni<Void>> work) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
        return client.connect()
                .flatMap(connection -> work.apply(connection).eventually(connection::close))
                .eventually(client::close);
    }

    private Uni<Void> unlink(RedisConnection server, String pattern, String cursor) {
        return server.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
                .flatMap(page -> {
                    String next = page.get(0).toString();
                    List<Request> unlinks = new ArrayList<>();
                    page.get(1).forEach(k -> unlinks.add(Request.cmd(Command.UNLINK).arg(k.toString())));
                    Uni<?> done = unlinks.isEmpty() ? Uni.createFrom().voidItem() : server.batch(unlinks);
                    return done.replaceWith(next);
                })
                .flatMap(next -> "0".equals(next) ? Uni.createFrom().voidItem() : unlink(server, pattern, next));
    }
}
