package io.ordersvc.cqrs.view;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import java.util.Set;

/** How the events of some aggregate types become view writes: what the projectors and a rebuild share. */
public interface Projection {

    Set<String> aggregateTypes();

    /** The write one event makes, change notification included. */
    ViewWrite viewWrite(EventEnvelope envelope);
}
