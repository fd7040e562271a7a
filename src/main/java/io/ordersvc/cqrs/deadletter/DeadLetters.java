package io.ordersvc.cqrs.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records the projector could not apply wait in the dead-letter topic. An operator re-drives them
 * to the topic they came from once the cause is fixed; whatever still fails comes back. These
 * are operator actions on worker threads, so they use Kafka's own (blocking) clients.
 */
@ApplicationScoped
public class DeadLetters {

    static final String GROUP = "dead-letter-redrive";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String bootstrap;
    private final String topic;
    private final AtomicLong waiting = new AtomicLong();

    DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @ConfigProperty(name = "mp.messaging.incoming.order-events.dead-letter-queue.topic") String topic,
            MeterRegistry meters) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        Gauge.builder("ordersvc.dead.letters", waiting, AtomicLong::get)
                .description("Records waiting in the dead-letter topic, as last counted").register(meters);
    }

    /** Counts now and then on a worker thread, so that the gauge stays current without blocking anyone. */
    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, 30_000, id -> Uni.createFrom().item(this::count)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(report -> { }, failure -> LOG.debugf("dead letters not counted: %s", failure)));
    }

    public record Report(String topic, long waiting) {
    }

    public record Redrive(String topic, int redriven) {
    }

    /** How many dead letters have not been re-driven yet. */
    public Report count() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(new java.util.HashSet<>(partitions),
                    Duration.ofSeconds(10));
            long n = partitions.stream().mapToLong(tp -> end.get(tp)
                    - (done.get(tp) == null ? beginning(consumer, tp) : done.get(tp).offset())).sum();
            waiting.set(n);
            return new Report(topic, n);
        }
    }

    /** Sends every waiting dead letter back to its original topic, under its original key. */
    public Redrive redrive() {
        int n = 0;
        try (KafkaConsumer<String, String> consumer = consumer(); KafkaProducer<String, String> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(new java.util.HashSet<>(partitions),
                    Duration.ofSeconds(10));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            for (TopicPartition tp : partitions) {
                if (done.get(tp) == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, done.get(tp).offset());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    producer.send(new ProducerRecord<>(originalTopic(r), null, r.key(), r.value())).get();
                    progress.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    n++;
                }
                consumer.commitSync(progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("re-drive stopped: " + e.getCause(), e);
        }
        count();
        return new Redrive(topic, n);
    }

    private String originalTopic(ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader("dead-letter-topic");
        return h == null ? topic.replaceFirst("\\.dlq$", "") : new String(h.value(), StandardCharsets.UTF_8);
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private static long beginning(KafkaConsumer<String, String> consumer, TopicPartition tp) {
        return consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
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
