package io.ordersvc.cqrs.projector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who a projector is in its consumer groups, how soon it counts as gone, and what it does on stopping (see {@link ProjectorMembership}). */
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

        /**
         * How long a static member's partitions wait for it: longer than a restart takes (SIGTERM to
         * exit, a new process or pod, ready), so that one that restarts takes them back with no
         * rebalance. A member that stops for good leaves at once ({@link #onStop()}), and one that
         * crashes and restarts takes them back as it rejoins: only a member lost without a word that
         * never comes back (a lost node) leaves its partitions idle this long.
         */
        @WithDefault("30s")
        Duration sessionTimeout();

        /**
         * What a static member does when the instance stops (see {@link ProjectorHandOver}): {@code stay}
         * for a restart (it comes back under the same name and takes its partitions back with no
         * rebalance), {@code leave} for a stop for good (a scale-down, a drain: its partitions move to the
         * other members at once), {@code kubernetes} to ask the API server which one this stop is
         * ({@link StopIntent}). A dynamic member always leaves.
         */
        @WithDefault("stay")
        OnStop onStop();

        /**
         * With {@code on-stop=kubernetes}: the pod's {@code controller-revision-hash} label (the downward
         * API), which the StatefulSet's update revision is compared with when the pod stops.
         */
        Optional<String> podRevision();
    }

    /** See {@link Projector#onStop()}. */
    enum OnStop {
        STAY, LEAVE, KUBERNETES
    }
}
