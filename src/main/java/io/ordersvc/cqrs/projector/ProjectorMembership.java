package io.ordersvc.cqrs.projector;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How a projector joins its consumer group, so that its partitions are projected again within
 * seconds of a restart or a crash instead of after the group's long default timeouts.
 * <ul>
 * <li>With {@code ordersvc.instance-id} set (the pod's name on Kubernetes, {@code dev} in dev
 * mode), the projector is a static member: an instance that comes back under the same id takes its
 * partitions back at once, without a rebalance and without waiting for its old self to time out.</li>
 * <li>Without it, a dynamic member that leaves the group when it stops.</li>
 * </ul>
 * Either way a member that vanished without a word (kill -9, a lost node) loses its partitions
 * after {@code ordersvc.projector.session-timeout} instead of Kafka's 45 s.
 */
@ApplicationScoped
class ProjectorMembership {

    @Produces
    @Identifier("projector-membership")
    Map<String, Object> consumerConfiguration(ProjectorMembershipConfig membership) {
        Duration sessionTimeout = membership.projector().sessionTimeout();
        Map<String, Object> config = new HashMap<>();
        config.put("session.timeout.ms", (int) sessionTimeout.toMillis());
        config.put("heartbeat.interval.ms", (int) Math.max(500, sessionTimeout.toMillis() / 3));
        membership.instanceId().filter(id -> !id.isBlank()).ifPresent(id -> config.put("group.instance.id", id));
        return config;
    }
}
