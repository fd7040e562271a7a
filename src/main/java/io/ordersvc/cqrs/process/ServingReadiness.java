package io.ordersvc.cqrs.process;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means: this instance can serve the requests of the roles it runs, so that Kubernetes keeps
 * it in its Service while any one server is out, as long as the instance still answers.
 * <ul>
 * <li>command side: the primary answers (the relay and Kafka are not needed to accept a command:
 * its events wait in the outbox);</li>
 * <li>query side: Redis or the replica answers, for each read falls back from one to the other,
 * and from the replica to the primary;</li>
 * <li>relay and projector: never a reason to leave the Service; they wait outages out.</li>
 * </ul>
 * Not before the instance has opened its connections ({@link WarmUp}). The data names each
 * server's state, for operators. It replaces the extensions' own checks, each of
 * which took the whole instance out of service with any one server.
 */
@Readiness
@ApplicationScoped
class ServingReadiness implements AsyncHealthCheck {

    /** A server that does not answer a trivial request within this is down, for readiness. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final Roles roles;
    private final Pool primary;
    private final Pool replica;
    private final ReactiveRedisDataSource redis;
    private final WarmUp warmUp;

    ServingReadiness(Roles roles, Pool primary, @ReactiveDataSource("replica") Pool replica, ReactiveRedisDataSource redis,
            WarmUp warmUp) {
        this.roles = roles;
        this.warmUp = warmUp;
        this.primary = primary;
        this.replica = replica;
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.combine().all()
                .unis(answers(primary.query("SELECT 1").execute()), answers(replica.query("SELECT 1").execute()),
                        answers(redis.execute("PING")))
                .with((primaryUp, replicaUp, redisUp) -> {
                    boolean commands = !roles.command() || primaryUp;
                    boolean queries = !roles.query() || redisUp || replicaUp || primaryUp;
                    return HealthCheckResponse.named("Serves its roles")
                            .status(warmUp.done() && commands && queries)
                            .withData("connections", warmUp.done() ? "open" : "opening")
                            .withData("command side", roles.command() ? state(commands) : "not run")
                            .withData("query side", roles.query() ? state(queries) : "not run")
                            .withData("primary", state(primaryUp))
                            .withData("replica", state(replicaUp))
                            .withData("redis", state(redisUp))
                            .build();
                });
    }

    private static Uni<Boolean> answers(Uni<?> probe) {
        return probe.ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(answer -> true)
                .onFailure().recoverWithItem(false);
    }

    private static String state(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
