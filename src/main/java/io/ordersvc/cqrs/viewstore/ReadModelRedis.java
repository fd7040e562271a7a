package io.ordersvc.cqrs.viewstore;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Redis that the read models are read and written through. On a single Redis, the client's pool.
 * On a Redis Cluster, one long-lived cluster connection that every caller shares (it keeps a
 * connection to each node and pipelines on it), opened again a second after it ends: the cluster
 * client takes a connection of every node's pool for each command sent on its own, and a burst of
 * them (300 reads at once, {@code ConcurrentReadsOnRedisClusterTest}) exhausted the pools for good,
 * every later read falling back to the replica (vertx-redis-client#541). Until the shared connection
 * is open, the pool serves, a connection per command, as on a single Redis (with a pooled connection
 * borrowed for a whole slice of writes instead, the service did not recover from a 5 s pause of Redis:
 * {@code fault/run.sh redis-pause-5s}).
 */
@ApplicationScoped
public class ReadModelRedis {

    private static final Logger LOG = Logger.getLogger(ReadModelRedis.class);

    private final ReactiveRedisDataSource pooled;
    private final Vertx vertx;
    private final boolean cluster;
    private volatile ReactiveRedisDataSource shared;
    private volatile RedisConnection connection;
    private volatile boolean running;

    ReadModelRedis(ReactiveRedisDataSource pooled, Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.pooled = pooled;
        this.vertx = vertx;
        this.cluster = "cluster".equalsIgnoreCase(clientType);
    }

    /** Whether the read models live in a Redis Cluster ({@code quarkus.redis.client-type=cluster}). */
    public boolean cluster() {
        return cluster;
    }

    /** The data source to send commands through now. */
    public ReactiveRedisDataSource get() {
        ReactiveRedisDataSource s = shared;
        return s != null ? s : pooled;
    }

    void start(@Observes StartupEvent event) {
        if (cluster) {
            running = true;
            open();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        RedisConnection c = connection;
        shared = null;
        if (c != null) {
            c.closeAndForget();
        }
    }

    private void open() {
        pooled.getRedis().connect().subscribe().with(c -> {
            if (!running) {
                c.closeAndForget();
                return;
            }
            connection = c;
            c.exceptionHandler(failure -> ended(c));
            c.endHandler(() -> ended(c));
            shared = new ReactiveRedisDataSourceImpl(vertx, pooled.getRedis(), c);
        }, failure -> {
            LOG.debugf("no shared Redis Cluster connection yet: %s", failure);
            again();
        });
    }

    /** The shared connection broke (a node went away, say): the pool serves until a new one is open. */
    private synchronized void ended(RedisConnection c) {
        if (connection != c) {
            return;
        }
        connection = null;
        shared = null;
        c.closeAndForget();
        again();
    }

    private void again() {
        if (running) {
            vertx.setTimer(1000, id -> open());
        }
    }
}
