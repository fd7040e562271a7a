package io.ordersvc.cqrs.eventlog;

import com.fasterxml.jackson.core.JsonParser;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An {@link EventReader} for one aggregate type's family of event records, named by their wire
 * types: what each feature's reader shares. The feature says what complete means and how an
 * event stored before it was is completed from the ones before it.
 */
public abstract class EventFamilyReader<E> implements EventReader<E> {

    private final Upcasting upcasting;
    private final Map<String, Class<? extends E>> types;
    private final UnaryOperator<List<E>> completion;

    /**
     * @param completion an aggregate's events in version order to the same events, each completed
     *                   from those before it
     */
    protected EventFamilyReader(Upcasting upcasting, Map<String, Class<? extends E>> types, UnaryOperator<List<E>> completion) {
        this.upcasting = upcasting;
        this.types = Map.copyOf(types);
        this.completion = completion;
    }

    @Override
    public E read(String eventType, int schemaVersion, JsonParser payload) {
        return upcasting.read(eventType, schemaVersion, payload, type(eventType));
    }

    @Override
    public E read(EventEnvelope envelope) {
        return upcasting.read(envelope, type(envelope.eventType()));
    }

    @Override
    public List<E> history(List<EventEnvelope> envelopes) {
        return completion.apply(envelopes.stream().map(this::read).toList());
    }

    private Class<? extends E> type(String eventType) {
        Class<? extends E> type = types.get(eventType);
        if (type == null) {
            throw new MalformedEventException("unknown event type " + eventType, null);
        }
        return type;
    }
}
