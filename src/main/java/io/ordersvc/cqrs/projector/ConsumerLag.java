package io.ordersvc.cqrs.projector;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.process.Periodic;
import io.ordersvc.cqrs.process.Roles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code ordersvc.projector.consumer.lag{group,topic,partition}}: per partition, the records
 * published that the consuming group has not committed yet, for every Kafka channel of the
 * service ({@code mp.messaging.incoming.<channel>.topic} and {@code .group.id}). Read from Kafka
 * (end offsets against the group's committed offsets), not from a consumer, so it shows while the
 * group's consumers are stopped; every instance that runs the projector role measures it (the others
 * need not reach Kafka), and all report the same numbers. A rebuild
 * reads the event log, not Kafka, so it never shows here. Commits are throttled, so a group that
 * keeps up still shows the records of its last few seconds.
 */
@ApplicationScoped
public class ConsumerLag {

    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);
    private static final String PREFIX = "mp.messaging.incoming.";
    private static final Pattern CONNECTOR = Pattern.compile(Pattern.quote(PREFIX) + "(.+)\\.connector");
    private static final long EVERY_MS = 5000;

    /** A group and the topic it consumes. */
    record Consumption(String group, String topic) {
    }

    private final String bootstrap;
    private final List<Consumption> consumptions;
    private final MeterRegistry meters;
    /** Per group and partition, the lag as last measured, as the gauges show it. */
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private Admin admin;

    ConsumerLag(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, Config config, MeterRegistry meters) {
        this.bootstrap = bootstrap;
        this.consumptions = consumptions(config);
        this.meters = meters;
    }

    static List<Consumption> consumptions(Config config) {
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .map(CONNECTOR::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .filter(channel -> config.getOptionalValue(PREFIX + channel + ".connector", String.class)
                        .filter("smallrye-kafka"::equals).isPresent())
                .flatMap(channel -> config.getOptionalValue(PREFIX + channel + ".group.id", String.class)
                        .flatMap(group -> config.getOptionalValue(PREFIX + channel + ".topic", String.class)
                                .map(topic -> new Consumption(group, topic)))
                        .stream())
                .distinct()
                .sorted(Comparator.comparing(Consumption::group).thenComparing(Consumption::topic))
                .toList();
    }

    /** Measured where projectors run: the instances that reach Kafka to consume it. */
    void start(@Observes StartupEvent event, Periodic periodic, Roles roles) {
        if (consumptions.isEmpty() || !roles.projector()) {
            return;
        }
        // while Kafka is away, a try to reconnect per measurement is enough (each failed one logs a warning)
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "ordersvc-consumer-lag",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, Long.toString(EVERY_MS)));
        // the admin client answers on its own thread: nothing here waits on Kafka
        periodic.every(Duration.ofSeconds(1), Duration.ofMillis(EVERY_MS), () -> consumptions.forEach(c -> measure(c)
                .subscribe().with(ok -> { }, failure -> LOG.debugf("lag of %s not measured: %s", c, failure))));
    }

    void stop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** End offsets against the group's committed ones (a partition it never committed starts at the beginning). */
    Uni<Void> measure(Consumption c) {
        return uni(admin.describeTopics(List.of(c.topic())).allTopicNames())
                .map(topics -> topics.get(c.topic()).partitions().stream()
                        .map(p -> new TopicPartition(c.topic(), p.partition())).toList())
                .flatMap(partitions -> Uni.combine().all().unis(
                                offsets(partitions, OffsetSpec.earliest()),
                                offsets(partitions, OffsetSpec.latest()),
                                uni(admin.listConsumerGroupOffsets(c.group()).partitionsToOffsetAndMetadata()))
                        .with((start, end, committed) -> recorded(c, partitions, start, end, committed)))
                .replaceWithVoid();
    }

    private int recorded(Consumption c, List<TopicPartition> partitions, Map<TopicPartition, Long> start,
            Map<TopicPartition, Long> end, Map<TopicPartition, OffsetAndMetadata> committed) {
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata done = committed.get(tp);
            long position = done == null ? start.get(tp) : Math.max(start.get(tp), done.offset());
            record(c, tp, end.get(tp) - position);
        }
        return partitions.size();
    }

    private Uni<Map<TopicPartition, Long>> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        return uni(admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec))).all())
                .map(offsets -> offsets.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
    }

    private void record(Consumption c, TopicPartition tp, long lag) {
        lags.computeIfAbsent(c.group() + "/" + tp, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("ordersvc.projector.consumer.lag", value, AtomicLong::get)
                    .tags("group", c.group(), "topic", tp.topic(), "partition", Integer.toString(tp.partition()))
                    .description("Records published to the partition that the group has not committed yet")
                    .register(meters);
            return value;
        }).set(Math.max(0, lag));
    }

    private static <T> Uni<T> uni(KafkaFuture<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage());
    }
}
