package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The wire form of an envelope: one JSON object, its fields first and the event's payload last,
 * nested as JSON. Both ways take one pass: the payload is written as the text it is stored as, and
 * read straight into its record while the envelope is read.
 */
@ApplicationScoped
public class EnvelopeCodec {

    private final ObjectMapper json;

    EnvelopeCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The envelope as UTF-8, the bytes Kafka carries: written once, with no string in between. */
    public byte[] encode(EventEnvelope e) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(json.getFactory()._getBufferRecycler(), 1024);
                JsonGenerator g = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("eventId", e.eventId().toString());
            g.writeStringField("aggregateType", e.aggregateType());
            g.writeStringField("aggregateId", e.aggregateId().toString());
            g.writeNumberField("version", e.version());
            g.writeStringField("eventType", e.eventType());
            g.writeNumberField("schemaVersion", e.schemaVersion());
            g.writeStringField("occurredAt", e.occurredAt().toString());
            g.writeStringField("correlationId", e.correlationId());
            if (e.traceParent() != null) {
                g.writeStringField("traceParent", e.traceParent());
            }
            // the log's own JSON text (jsonb::text), so it needs no second parse and write
            g.writeFieldName("payload");
            g.writeRawValue(e.payload());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads a record in one pass: the envelope's fields, then the payload straight into the event
     * record that {@code reader} makes of it (upcast first when it is of an older schema).
     *
     * @throws MalformedEventException when the text is not an envelope, or its payload not the
     *                                 event it claims to be: a poison message
     */
    public <E> Received<E> decode(String text, EventReader<E> reader) {
        try (JsonParser p = json.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Header h = new Header();
            E event = null;
            JsonNode early = null;
            String payload = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("payload".equals(field)) {
                    int from = (int) p.currentTokenLocation().getCharOffset();
                    if (h.eventType != null && h.schemaVersion != null && value == JsonToken.START_OBJECT) {
                        event = reader.read(h.eventType, h.schemaVersion, p);
                    } else {
                        // written by someone else, payload first: kept as a tree until its type is known
                        early = json.readTree(p);
                    }
                    payload = text.substring(from, (int) p.currentLocation().getCharOffset());
                } else {
                    h.set(field, p);
                }
            }
            EventEnvelope envelope = h.envelope(payload);
            if (event == null) {
                if (early == null || !early.isObject()) {
                    throw new IllegalArgumentException("missing payload");
                }
                event = reader.read(envelope.eventType(), envelope.schemaVersion(), json.treeAsTokens(early));
            }
            return new Received<>(envelope, event);
        } catch (MalformedEventException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException("not an event envelope: " + e.getMessage(), e);
        }
    }

    /** The envelope's fields as they are read, in whatever order they come. */
    private static final class Header {
        String eventId;
        String aggregateType;
        String aggregateId;
        Long version;
        String eventType;
        Integer schemaVersion;
        String occurredAt;
        String correlationId = "";
        String traceParent;

        void set(String field, JsonParser p) throws IOException {
            switch (field) {
                case "eventId" -> eventId = p.getValueAsString();
                case "aggregateType" -> aggregateType = p.getValueAsString();
                case "aggregateId" -> aggregateId = p.getValueAsString();
                case "version" -> version = p.currentToken().isNumeric() ? p.getLongValue() : null;
                case "eventType" -> eventType = p.getValueAsString();
                case "schemaVersion" -> schemaVersion = p.currentToken().isNumeric() ? p.getIntValue() : null;
                case "occurredAt" -> occurredAt = p.getValueAsString();
                case "correlationId" -> correlationId = p.getValueAsString("");
                case "traceParent" -> traceParent = p.getValueAsString();
                default -> p.skipChildren();
            }
        }

        EventEnvelope envelope(String payload) {
            return new EventEnvelope(UUID.fromString(required(eventId, "eventId")), required(aggregateType, "aggregateType"),
                    UUID.fromString(required(aggregateId, "aggregateId")), required(version, "version"),
                    required(eventType, "eventType"), required(schemaVersion, "schemaVersion"), payload,
                    Instant.parse(required(occurredAt, "occurredAt")), correlationId, traceParent);
        }

        private static <T> T required(T value, String field) {
            if (value == null) {
                throw new IllegalArgumentException("missing " + field);
            }
            return value;
        }
    }
}
