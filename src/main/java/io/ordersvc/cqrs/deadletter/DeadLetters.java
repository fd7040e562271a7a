package io.ordersvc.cqrs.deadletter;

import io.ordersvc.cqrs.process.Periodic;
import io.ordersvc.cqrs.process.Roles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records a consumer could not apply wait in its channel's dead-letter topic (see
 * {@link DeadLetterTopics}). An operator re-drives them to the topic they came from once the cause
 * is fixed; whatever still fails comes back. These are operator actions on worker threads, so they
 * use Kafka's own (blocking) clients.
 */
@ApplicationScoped
public class DeadLetters {

    /** One group for every topic: it remembers, per partition, how far re-driving got. */
    static final String GROUP = "dead-letter-redrive";
    private static final String ORIGIN_HEADER = "dead-letter-topic";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String bootstrap;
    /** Per topic, in name order: what was waiting when last counted, as the gauges show it. */
    private final Map<String, AtomicLong> waiting = new LinkedHashMap<>();

    DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, Config config, MeterRegistry meters) {
        this.bootstrap = bootstrap;
        for (String topic : DeadLetterTopics.in(config)) {
            AtomicLong n = new AtomicLong();
            Gauge.builder("ordersvc.dead.letters", n, AtomicLong::get).tag("topic", topic)
                    .description("Records waiting in a dead-letter topic, as last counted").register(meters);
            waiting.put(topic, n);
        }
    }

    /**
     * Counts now and then on a worker thread, so that the gauges stay current without blocking anyone;
     * on the instances that run the projector role, which reach Kafka (the others need not).
     */
    void start(@Observes StartupEvent event, Periodic periodic, Roles roles) {
        if (!roles.projector()) {
            return;
        }
        periodic.every(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> Uni.createFrom().item(this::count)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(report -> { }, failure -> LOG.debugf("dead letters not counted: %s", failure)));
    }

    public record TopicCount(String topic, long waiting) {
    }

    public record Report(long waiting, List<TopicCount> topics) {
    }

    public record TopicRedrive(String topic, int redriven) {
    }

    public record Redrive(int redriven, List<TopicRedrive> topics) {
    }

    /** A topic that is not one of the service's dead-letter topics. */
    public static final class UnknownTopic extends RuntimeException {

        private final String topic;

        UnknownTopic(String topic) {
            super("not a dead-letter topic: " + topic, null, false, false);
            this.topic = topic;
        }

        public String topic() {
            return topic;
        }
    }

    /** The dead-letter topics this service counts and re-drives, in name order. */
    public List<String> topics() {
        return List.copyOf(waiting.keySet());
    }

    /** How many dead letters of every topic have not been re-driven yet. */
    public Report count() {
        return count(topics());
    }

    /** How many dead letters of one topic have not been re-driven yet. */
    public Report count(String topic) {
        return count(List.of(known(topic)));
    }

    /** Sends every waiting dead letter back to its original topic, under its original key. */
    public Redrive redrive() {
        return redrive(topics());
    }

    /** Sends the waiting dead letters of one topic back, as {@link #redrive()} does. */
    public Redrive redrive(String topic) {
        return redrive(List.of(known(topic)));
    }

    private String known(String topic) {
        if (!waiting.containsKey(topic)) {
            throw new UnknownTopic(topic);
        }
        return topic;
    }

    private Report count(List<String> topics) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicCount> counts = topics.stream().map(topic -> count(consumer, topic)).toList();
            return new Report(counts.stream().mapToLong(TopicCount::waiting).sum(), counts);
        }
    }

    private TopicCount count(KafkaConsumer<String, String> consumer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, WAIT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
        Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions), WAIT);
        long n = partitions.stream().mapToLong(tp -> end.get(tp) - next(start.get(tp), done.get(tp))).sum();
        waiting.get(topic).set(n);
        return new TopicCount(topic, n);
    }

    /** Where re-driving goes on: after the last re-driven record, unless retention has deleted further. */
    private static long next(long start, OffsetAndMetadata done) {
        return done == null ? start : Math.max(start, done.offset());
    }

    // two re-drives at once would each send the same records; within this instance, one waits for the other
    private synchronized Redrive redrive(List<String> topics) {
        List<TopicRedrive> redriven = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(); KafkaProducer<String, String> producer = producer()) {
            for (String topic : topics) {
                redriven.add(new TopicRedrive(topic, redrive(consumer, producer, topic)));
            }
        }
        count(topics);
        return new Redrive(redriven.stream().mapToInt(TopicRedrive::redriven).sum(), redriven);
    }

    private int redrive(KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions), WAIT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
        for (TopicPartition tp : partitions) {
            if (done.get(tp) == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, done.get(tp).offset());
            }
        }
        int n = 0;
        Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
        // up to the end as it was: a record that fails again comes back after it and waits for the next re-drive
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    producer.send(new ProducerRecord<>(originalTopic(topic, r), null, r.key(), r.value(), originalHeaders(r)))
                            .get();
                    progress.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    n++;
                }
                consumer.commitSync(progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("re-drive of " + topic + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("re-drive of " + topic + " stopped: " + e.getCause(), e);
        }
        return n;
    }

    private static String originalTopic(String topic, ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader(ORIGIN_HEADER);
        return h == null ? topic.replaceFirst("\\.dlq$", "") : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record's own headers (such as its correlation id), without what the dead-letter queue added. */
    private static RecordHeaders originalHeaders(ConsumerRecord<String, String> r) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!h.key().startsWith("dead-letter-")) {
                headers.add(h);
            }
        }
        return headers;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, WAIT).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, GROUP + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
