package io.ordersvc.cqrs.projector;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How far behind a projector is, per topic it consumes, measured where it applies changes:
 * <ul>
 * <li>{@code ordersvc.commit.to.visible{topic}}: from an event's commit to its change applied, for
 * each change that changed a view. A record seen again (a redelivery, a replay of the topic) that
 * changes nothing is not timed, and a rebuild (see {@code rebuild.ViewRebuild}) does not come this way at
 * all, so old events replayed never read as a year of lag; a projector catching up after an outage
 * does, since its changes are applied late.
 * <li>{@code ordersvc.projector.lag.seconds{topic}}: now, the age of the oldest record it holds and
 * has not applied (0 when it holds none), which keeps growing while it waits out an outage, when
 * the timer has nothing to record. A record at or before the last offset this instance applied on
 * its partition is a replay: it counts from when it arrived, not from its event's commit.
 * </ul>
 */
final class ProjectionLag {

    private final MeterRegistry meters;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    ProjectionLag(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The records of a poll, held from now until {@link Held#released()}. */
    Held held(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        Topic topic = records.isEmpty() ? null : topics.computeIfAbsent(records.get(0).getTopic(), Topic::new);
        Held held = new Held(topic, Instant.now());
        if (topic != null) {
            topic.holding.set(held);
        }
        return held;
    }

    private final class Topic {

        private final Timer commitToVisible;
        /** Per partition, the highest offset this instance applied: a record at or before it is seen again. */
        private final Map<Integer, Long> appliedUpTo = new ConcurrentHashMap<>();
        private final AtomicReference<Held> holding = new AtomicReference<>();

        Topic(String name) {
            this.commitToVisible = Timer.builder("ordersvc.commit.to.visible").tag("topic", name)
                    .description("From an event's commit to its change applied in the read models, for changes that changed a view")
                    .publishPercentileHistogram()
                    .register(meters);
            Gauge.builder("ordersvc.projector.lag.seconds", this, Topic::secondsBehind).tag("topic", name)
                    .description("Age of the oldest record the projector holds and has not applied; 0 when it holds none")
                    .strongReference(true)
                    .register(meters);
        }

        private double secondsBehind() {
            Held held = holding.get();
            return held == null ? 0 : held.secondsBehind();
        }

        private boolean seenBefore(KafkaRecord<?, ?> record) {
            long offset = offset(record);
            return offset >= 0 && offset <= appliedUpTo.getOrDefault(record.getPartition(), -1L);
        }
    }

    private static long offset(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(-1L);
    }

    /** One poll's records between their arrival and their acknowledgement. */
    final class Held {

        private final Topic topic;
        private final Instant arrived;
        /** Each record read and not applied yet, with the moment from which it counts as lag. */
        private final Map<KafkaRecord<?, ?>, Instant> behindSince = new IdentityHashMap<>();

        private Held(Topic topic, Instant arrived) {
            this.topic = topic;
            this.arrived = arrived;
        }

        synchronized void read(KafkaRecord<?, ?> record, EventEnvelope event) {
            if (topic != null) {
                behindSince.put(record, topic.seenBefore(record) ? arrived : event.occurredAt());
            }
        }

        /** A change that changed a view: its event is visible now. */
        void visible(EventEnvelope event) {
            if (topic != null) {
                topic.commitToVisible.record(Duration.between(event.occurredAt(), Instant.now()));
            }
        }

        synchronized void applied(List<? extends KafkaRecord<?, ?>> records) {
            for (KafkaRecord<?, ?> record : records) {
                behindSince.remove(record);
                topic.appliedUpTo.merge(record.getPartition(), offset(record), Math::max);
            }
        }

        void released() {
            if (topic != null) {
                topic.holding.compareAndSet(this, null);
            }
        }

        private synchronized double secondsBehind() {
            return behindSince.values().stream().min(Instant::compareTo)
                    .map(since -> Math.max(0, Duration.between(since, Instant.now()).toMillis() / 1000.0))
                    .orElse(0.0);
        }
    }
}
