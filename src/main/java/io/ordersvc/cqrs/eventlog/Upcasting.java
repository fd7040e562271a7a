package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Applies every upcaster in turn, from an event's stored schema version up to the newest one known. */
@ApplicationScoped
public class Upcasting {

    private final ObjectMapper json;
    private final Map<String, EventUpcaster> steps = new HashMap<>();

    Upcasting(ObjectMapper json, Instance<EventUpcaster> upcasters) {
        this.json = json;
        upcasters.forEach(u -> steps.put(u.eventType() + "@" + u.fromSchemaVersion(), u));
    }

    /**
     * The event as its current record: upcast, then read leniently, since fields added to a record
     * later are not in older payloads and fields dropped later may still be.
     */
    public <T> T read(EventEnvelope envelope, Class<T> type) {
        try {
            return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(toCurrent(envelope));
        } catch (IOException e) {
            throw new MalformedEventException("unreadable " + envelope.eventType() + " payload: " + e.getMessage(), e);
        }
    }

    /** The payload as JSON of the newest schema version. */
    public JsonNode toCurrent(EventEnvelope envelope) {
        try {
            JsonNode node = json.readTree(envelope.payload());
            if (!(node instanceof ObjectNode payload)) {
                throw new MalformedEventException("payload of " + envelope.eventType() + " is not an object", null);
            }
            int version = envelope.schemaVersion();
            for (EventUpcaster step = steps.get(envelope.eventType() + "@" + version); step != null;
                    step = steps.get(envelope.eventType() + "@" + version)) {
                payload = step.upcast(payload);
                version++;
            }
            return payload;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("payload of " + envelope.eventType() + " is not JSON", e);
        }
    }
}
