package io.ordersvc.cqrs.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.projector.ProjectorMembershipConfig.OnStop;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whether a stopping projector leaves its consumer groups or stays in them for its restart. */
class StopIntentTest {

    /** A StatefulSet as the API server answers it, in the fields the decision reads. */
    private static final String STATEFUL_SET = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"order-projector","namespace":"orders"},
             "spec":{"replicas":%d,"serviceName":"order-projector"},
             "status":{"replicas":3,"currentRevision":"order-projector-5d4b8c7f9","updateRevision":"%s","readyReplicas":3}}""";

    private static StopIntent.Decision decided(String pod, String podRevision, int replicas, String updateRevision) throws Exception {
        return StopIntent.StatefulSetView.of(pod, podRevision,
                new ObjectMapper().readTree(STATEFUL_SET.formatted(replicas, updateRevision))).decision();
    }

    @Test
    void a_pod_that_its_stateful_set_rolls_over_to_a_newer_revision_stays_in_its_groups() throws Exception {
        assertThat(decided("order-projector-2", "order-projector-5d4b8c7f9", 3, "order-projector-7c9d6b5f4"))
                .isEqualTo(new StopIntent.Decision(false, "StatefulSet order-projector rolls its pods over to revision"
                        + " order-projector-7c9d6b5f4: this one (order-projector-5d4b8c7f9) restarts"));
    }

    @Test
    void a_pod_beyond_the_replicas_of_a_stateful_set_scaled_down_leaves_its_groups() throws Exception {
        assertThat(decided("order-projector-2", "order-projector-5d4b8c7f9", 2, "order-projector-5d4b8c7f9").leave()).isTrue();
    }

    @Test
    void a_pod_scaled_away_during_a_rollout_leaves_its_groups_all_the_same() throws Exception {
        assertThat(decided("order-projector-2", "order-projector-5d4b8c7f9", 2, "order-projector-7c9d6b5f4").leave()).isTrue();
    }

    @Test
    void a_pod_stopped_at_its_stateful_sets_current_revision_as_a_drain_does_leaves_its_groups() throws Exception {
        StopIntent.Decision decision = decided("order-projector-0", "order-projector-5d4b8c7f9", 3, "order-projector-5d4b8c7f9");

        assertThat(decision.leave()).isTrue();
        assertThat(decision.why()).contains("drain");
    }

    @Test
    void the_configured_intent_decides_every_stop_when_the_platform_is_not_asked() {
        assertThat(new StopIntent(config(OnStop.STAY, "order-projector-1", null)).decide().leave()).isFalse();
        assertThat(new StopIntent(config(OnStop.LEAVE, "order-projector-1", null)).decide().leave()).isTrue();
    }

    @Test
    void outside_a_stateful_sets_pod_asking_kubernetes_leaves_rather_than_leave_partitions_waiting() {
        StopIntent.Decision decision = new StopIntent(config(OnStop.KUBERNETES, "order-projector-1", "order-projector-5d4b8c7f9"))
                .kubernetes(Map.of());

        assertThat(decision.leave()).isTrue();
        assertThat(decision.why()).contains("KUBERNETES_SERVICE_HOST");
    }

    private static ProjectorMembershipConfig config(OnStop onStop, String instanceId, String podRevision) {
        return new ProjectorMembershipConfig() {
            @Override
            public Optional<String> instanceId() {
                return Optional.of(instanceId);
            }

            @Override
            public Projector projector() {
                return new Projector() {
                    @Override
                    public Duration sessionTimeout() {
                        return Duration.ofSeconds(30);
                    }

                    @Override
                    public OnStop onStop() {
                        return onStop;
                    }

                    @Override
                    public Optional<String> podRevision() {
                        return Optional.ofNullable(podRevision);
                    }
                };
            }
        };
    }
}
