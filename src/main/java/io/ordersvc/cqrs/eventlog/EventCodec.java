package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The wire form of an envelope: one JSON object, with the event's payload nested as JSON, not as a string. */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper json;

    EventCodec(ObjectMapper json) {
        this.json = json;
    }

    public String encode(EventEnvelope e) {
        try {
            ObjectNode node = json.createObjectNode()
                    .put("eventId", e.eventId().toString())
                    .put("aggregateType", e.aggregateType())
                    .put("aggregateId", e.aggregateId().toString())
                    .put("version", e.version())
                    .put("eventType", e.eventType())
                    .put("schemaVersion", e.schemaVersion())
                    .put("occurredAt", e.occurredAt().toString())
                    .put("correlationId", e.correlationId());
            node.set("payload", json.readTree(e.payload()));
            return json.writeValueAsString(node);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event " + e.eventId() + " has no valid JSON payload", ex);
        }
    }

    /** @throws MalformedEventException when the text is not an envelope: a poison message */
    public EventEnvelope decode(String text) {
        try {
            JsonNode n = json.readTree(text);
            return new EventEnvelope(
                    UUID.fromString(required(n, "eventId").asText()),
                    required(n, "aggregateType").asText(),
                    UUID.fromString(required(n, "aggregateId").asText()),
                    required(n, "version").asLong(),
                    required(n, "eventType").asText(),
                    required(n, "schemaVersion").asInt(),
                    json.writeValueAsString(required(n, "payload")),
                    Instant.parse(required(n, "occurredAt").asText()),
                    n.path("correlationId").asText(""));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedEventException("not an event envelope: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }
}
