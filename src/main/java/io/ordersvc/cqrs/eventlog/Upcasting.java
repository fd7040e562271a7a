package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an event's payload into its current record: the payload is bound straight to the record
 * when it is of the current schema, and upcast first, step by step, when it is older. Reading is
 * lenient, since fields added to a record later are not in older payloads and fields dropped
 * later may still be.
 */
@ApplicationScoped
public class Upcasting {

    private final ObjectMapper json;
    private final ObjectReader lenient;
    private final Map<String, EventUpcaster> steps = new HashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    Upcasting(ObjectMapper json, Instance<EventUpcaster> upcasters) {
        this.json = json;
        this.lenient = json.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        upcasters.forEach(u -> steps.put(u.eventType() + "@" + u.fromSchemaVersion(), u));
    }

    /** The payload under the parser, positioned on its opening brace, as the current record. */
    public <T> T read(String eventType, int schemaVersion, JsonParser payload, Class<T> type) {
        try {
            ObjectReader reader = readers.computeIfAbsent(type, lenient::forType);
            if (!steps.containsKey(eventType + "@" + schemaVersion)) {
                return reader.readValue(payload);
            }
            JsonNode node = json.readTree(payload);
            if (!(node instanceof ObjectNode tree)) {
                throw new MalformedEventException("payload of " + eventType + " is not an object", null);
            }
            return reader.readValue(upcast(eventType, schemaVersion, tree));
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("unreadable " + eventType + " payload: " + e.getMessage(), e);
        }
    }

    /** A stored event's payload as the current record. */
    public <T> T read(EventEnvelope envelope, Class<T> type) {
        try (JsonParser payload = json.getFactory().createParser(envelope.payload())) {
            payload.nextToken();
            return read(envelope.eventType(), envelope.schemaVersion(), payload, type);
        } catch (IOException e) {
            throw new MalformedEventException("payload of " + envelope.eventType() + " is not JSON", e);
        }
    }

    private ObjectNode upcast(String eventType, int schemaVersion, ObjectNode payload) {
        int version = schemaVersion;
        for (EventUpcaster step = steps.get(eventType + "@" + version); step != null;
                step = steps.get(eventType + "@" + version)) {
            payload = step.upcast(payload);
            version++;
        }
        return payload;
    }
}
