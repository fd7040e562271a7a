package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonParser;
import java.util.List;

/**
 * Reads the events of one aggregate type into their current records. An event stored before its
 * type carried everything its readers need is incomplete alone: it is completed from the events
 * before it in its aggregate's history.
 */
public interface EventReader<E> {

    /** The payload, positioned on its opening brace, of an event of that type and schema version. */
    E read(String eventType, int schemaVersion, JsonParser payload);

    /** A stored event, alone. */
    E read(EventEnvelope envelope);

    /** Whether the event alone carries all that its readers need. */
    boolean complete(E event);

    /** An aggregate's events, in version order, each completed from those before it. */
    List<E> history(List<EventEnvelope> envelopes);
}
