package io.ordersvc.cqrs.projector;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a projector joins its consumer group, so that its partitions are projected again within
 * seconds of a restart or a crash instead of after the group's long default timeouts.
 * <ul>
 * <li>With {@code ordersvc.instance-id} set (the pod's name on Kubernetes, {@code dev} in dev
 * mode), the projector is a static member: an instance that comes back under the same id takes its
 * partitions back at once, without a rebalance and without waiting for its old self to time out.</li>
 * <li>Without it, a dynamic member that leaves the group when it stops, and loses its partitions
 * 10 s after it vanished without a word.</li>
 * </ul>
 * A static member that stops for good (a scale-down, a drain) leaves its groups too, so that its
 * partitions move at once; one that restarts stays (see {@link ProjectorHandOver}).
 * A static member that vanished without a word and does not come back (a lost node) loses its
 * partitions after {@code ordersvc.projector.session-timeout} (30 s), which a restart stays within.
 */
@ApplicationScoped
class ProjectorMembership {

    private static final Duration DYNAMIC_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Produces
    @Identifier("projector-membership")
    Map<String, Object> consumerConfiguration(ProjectorMembershipConfig membership) {
        Optional<String> instanceId = membership.instanceId().filter(id -> !id.isBlank());
        // a dynamic member never comes back under the same name: there is nothing to wait for
        Duration sessionTimeout = instanceId.isPresent() ? membership.projector().sessionTimeout()
                : min(membership.projector().sessionTimeout(), DYNAMIC_SESSION_TIMEOUT);
        Map<String, Object> config = new HashMap<>();
        config.put("session.timeout.ms", (int) sessionTimeout.toMillis());
        // a rebalance reaches the other members with their next heartbeat: once a second, so that a
        // member that leaves has its partitions taken over within a second or two
        config.put("heartbeat.interval.ms", (int) Math.max(250, Math.min(1000, sessionTimeout.toMillis() / 3)));
        instanceId.ifPresent(id -> config.put("group.instance.id", id));
        return config;
    }
}
