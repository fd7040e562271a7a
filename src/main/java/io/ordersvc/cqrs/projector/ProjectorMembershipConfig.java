package io.ordersvc.cqrs.projector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who a projector is in its consumer groups, and how soon it counts as gone (see {@link ProjectorMembership}). */
@ConfigMapping(prefix = "ordersvc")
public interface ProjectorMembershipConfig {

    /**
     * The instance's name, unique and stable across its restarts (the pod's name on Kubernetes,
     * {@code dev} in dev mode): its projector is a static member of its groups. Unset or blank, a
     * dynamic one.
     */
    Optional<String> instanceId();

    Projector projector();

    interface Projector {

        /** A member that vanished without a word (kill -9, a lost node) loses its partitions after this, not Kafka's 45 s. */
        @WithDefault("10s")
        Duration sessionTimeout();
    }
}
