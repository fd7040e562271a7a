package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns the payload of one event type from one schema version into the next. */
public interface EventUpcaster {

    String eventType();

    /** The schema version it reads; it produces the one after. */
    int fromSchemaVersion();

    ObjectNode upcast(ObjectNode payload);
}
