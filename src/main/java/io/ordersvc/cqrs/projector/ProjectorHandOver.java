package io.ordersvc.cqrs.projector;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

/**
 * The projectors' part of an orderly stop. As soon as the instance is asked to stop (SIGTERM, the
 * start of {@code quarkus.shutdown.delay}), while Redis, PostgreSQL and Vert.x are all still there,
 * the Kafka consumers stop: they pause, the batch in flight is applied and acknowledged, what was
 * applied is committed, and the consumers close. Then a static member that stops for good leaves
 * its groups ({@link StopIntent}), so that the other members take its partitions over at once.
 *
 * <p>Left to the messaging connector, the consumers closed last, after the clients they project
 * with: the batch in flight could no longer reach Redis, and each consumer waited out its whole
 * closing timeout for it (7 s each, 17 s from SIGTERM to exit), its records redelivered later.
 *
 * <p>The connector closes a static member's consumer without leaving its group (KIP-345): the group
 * keeps its partitions for the session timeout, waiting for it to come back. Its close cannot be
 * given {@code CloseOptions} ({@code LEAVE_GROUP}, KIP-1092), so a member that leaves is removed
 * from its groups with the admin client's {@code removeMembersFromConsumerGroup} (KIP-345's own
 * way for a static member that is gone for good) right after its consumers closed: the same
 * rebalance a {@code LEAVE_GROUP} close starts, once its offsets are committed.
 */
@ApplicationScoped
class ProjectorHandOver {

    private static final Logger LOG = Logger.getLogger(ProjectorHandOver.class);
    /** How long the stop waits for the hand-over: the consumers' close and the leave, each bounded below it. */
    private static final Duration BOUND = Duration.ofSeconds(4);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);

    /** One consumer of the projector: its group, and its static member id (null: a dynamic member, which leaves on its own). */
    record Member(String channel, String group, String instanceId) {
    }

    private final KafkaConnector connector;
    private final KafkaClientService clients;
    private final StopIntent intent;
    private final String bootstrap;
    private final AtomicReference<CompletableFuture<Void>> handOver = new AtomicReference<>();

    ProjectorHandOver(@Connector(KafkaConnector.CONNECTOR_NAME) KafkaConnector connector, KafkaClientService clients,
            StopIntent intent, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.connector = connector;
        this.clients = clients;
        this.intent = intent;
        this.bootstrap = bootstrap;
    }

    /** Starts the hand-over at once, beside the shutdown delay: a projector serves no request the delay waits for. */
    void stopping(@Observes ShutdownDelayInitiatedEvent event) {
        handOver();
    }

    /** Before anything closes the clients the projectors use: the hand-over is done, or given up after {@link #BOUND}. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        try {
            handOver().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("the projectors' hand-over did not finish within %s; stopping all the same", BOUND);
        } catch (ExecutionException e) {
            LOG.warnf("the projectors' hand-over failed: %s", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The hand-over, started once, on a thread of its own (it waits on Kafka; no event loop may). */
    CompletableFuture<Void> handOver() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        if (!handOver.compareAndSet(null, started)) {
            return handOver.get();
        }
        Thread thread = new Thread(() -> {
            try {
                handOver(members());
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "projector-hand-over");
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    private List<Member> members() {
        return clients.getConsumerChannels().stream().sorted()
                .map(channel -> member(channel, clients.getConsumer(channel).configuration()))
                .filter(Objects::nonNull).toList();
    }

    private static Member member(String channel, Map<String, ?> config) {
        Object group = config.get(ConsumerConfig.GROUP_ID_CONFIG);
        Object instance = config.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return group == null ? null : new Member(channel, group.toString(), instance == null ? null : instance.toString());
    }

    private void handOver(List<Member> members) {
        if (members.isEmpty()) {
            return;
        }
        long began = System.nanoTime();
        // the connector's own graceful close: pause, wait for what is in flight, commit, close
        connector.terminate(null);
        long closed = System.nanoTime();
        List<Member> staying = members.stream().filter(m -> m.instanceId() != null).toList();
        StopIntent.Decision decision = staying.isEmpty() ? StopIntent.Decision.dynamic() : intent.decide();
        if (decision.leave() && !staying.isEmpty()) {
            leave(staying);
        }
        LOG.infof("projectors stopped: consumers of %s closed, offsets committed in %d ms; %s (%s), %d ms in all",
                members.stream().map(Member::group).toList(), TimeUnit.NANOSECONDS.toMillis(closed - began),
                decision.leave() ? "left their groups" : "stayed in their groups as static members", decision.why(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** Removes the static members from their groups, all at once: each group rebalances its partitions over the others. */
    private void leave(List<Member> staying) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "ordersvc-projector-hand-over",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) LEAVE_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) LEAVE_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            List<CompletableFuture<Void>> removals = staying.stream()
                    .map(m -> admin.removeMembersFromConsumerGroup(m.group(), new RemoveMembersFromConsumerGroupOptions(
                            List.of(new MemberToRemove(m.instanceId())))).all().toCompletionStage().toCompletableFuture())
                    .toList();
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // not left: the group gives the partitions away once the member's session times out
            LOG.warnf("the projectors could not leave their groups (%s); their partitions move once the session times out",
                    e instanceof ExecutionException ? e.getCause().toString() : "no answer within " + LEAVE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
