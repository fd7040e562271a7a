package io.ordersvc.cqrs.relay;

import io.ordersvc.cqrs.eventlog.EnvelopeCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.ordersvc.cqrs.tracing.TraceParent;
import io.ordersvc.cqrs.tracing.Tracing;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's Kafka producer. A batch goes to Kafka's client in one task on a thread of its own,
 * never on an event loop (the client may block, waiting for a topic's metadata or for room in its
 * buffer), and its records are in flight together; one answer comes back when Kafka acknowledged
 * them all. Kafka's client gathers them into batches per partition, so a backlog leaves in a few
 * requests instead of one record each (MutinyEmitter would take a message, a metadata object and
 * two thread hops per record). Each record's publish is a span in the trace of the request that
 * caused its event, ended when Kafka acknowledged it.
 */
final class OutboxProducer {

    private final RelayConfig config;
    private final EnvelopeCodec codec;
    private final Tracing tracing;
    private final Properties settings = new Properties();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay-kafka"));
    private KafkaProducer<String, byte[]> kafka;

    OutboxProducer(String bootstrap, RelayConfig config, EnvelopeCodec codec, Tracing tracing) {
        this.config = config;
        this.codec = codec;
        this.tracing = tracing;
        RelayConfig.Producer p = config.producer();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        // not settings: per-aggregate order rests on them (no loss, and no reordering by retries)
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(p.linger().toMillis()));
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(p.batchBytes()));
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(p.requestTimeout().toMillis()));
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(p.deliveryTimeout().toMillis()));
        // a send that cannot even be queued (Kafka unknown, buffer full) fails the batch within the request timeout
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(p.requestTimeout().toMillis()));
    }

    /** Sends the events in order; answers once Kafka acknowledged every one, or fails with the first failure. */
    Uni<Void> send(List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void>emitter(done -> sendAll(events, done)).runSubscriptionOn(thread);
    }

    /** Lets Kafka's client deliver what it holds, for at most {@code timeout}, and stops its thread. */
    void close(Duration timeout) {
        thread.execute(() -> {
            if (kafka != null) {
                kafka.close(timeout);
            }
        });
        thread.shutdown();
    }

    private void sendAll(List<EventEnvelope> events, UniEmitter<? super Void> done) {
        Acks acks = new Acks(events.size(), done);
        for (EventEnvelope e : events) {
            if (acks.failed()) {
                return;
            }
            String topic = config.topics().getOrDefault(e.aggregateType(), e.aggregateType() + ".events");
            Span publish = tracing.start(topic + " publish", SpanKind.PRODUCER, e.traceParent());
            Callback acked = (metadata, failure) -> {
                if (failure != null) {
                    publish.setStatus(StatusCode.ERROR, failure.toString());
                }
                publish.end();
                acks.onCompletion(metadata, failure);
            };
            try {
                kafka().send(record(topic, e, TraceParent.of(publish.getSpanContext())), acked);
            } catch (RuntimeException failure) {
                acked.onCompletion(null, failure);
            }
        }
    }

    private KafkaProducer<String, byte[]> kafka() {
        if (kafka == null) {
            kafka = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        }
        return kafka;
    }

    /** The event's record; its {@code traceparent} header names the publish span, the projector's parent. */
    private ProducerRecord<String, byte[]> record(String topic, EventEnvelope e, String traceParent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", bytes(e.eventId().toString()));
        headers.add("event-type", bytes(e.eventType()));
        headers.add("event-version", bytes(Long.toString(e.version())));
        headers.add("schema-version", bytes(Integer.toString(e.schemaVersion())));
        headers.add("aggregate-type", bytes(e.aggregateType()));
        headers.add("correlation-id", bytes(e.correlationId()));
        if (traceParent != null) {
            headers.add(TraceParent.HEADER, bytes(traceParent));
        }
        return new ProducerRecord<>(topic, null, e.aggregateId().toString(), codec.encode(e), headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts a batch's acknowledgements, on Kafka's network thread; the first failure ends the batch. */
    private static final class Acks implements Callback {

        private final AtomicInteger waiting;
        private final AtomicBoolean failed = new AtomicBoolean();
        private final UniEmitter<? super Void> done;

        Acks(int records, UniEmitter<? super Void> done) {
            this.waiting = new AtomicInteger(records);
            this.done = done;
        }

        boolean failed() {
            return failed.get();
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            if (failure != null) {
                if (failed.compareAndSet(false, true)) {
                    done.fail(failure);
                }
            } else if (waiting.decrementAndGet() == 0 && !failed.get()) {
                done.complete(null);
            }
        }
    }
}
