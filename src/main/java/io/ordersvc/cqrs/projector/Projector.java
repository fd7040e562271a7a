package io.ordersvc.cqrs.projector;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/** How the events of some aggregate types become view changes: what the projectors and a rebuild share. */
public interface Projector {

    Set<String> aggregateTypes();

    /** The change one stored event makes, announcement included. */
    Uni<ViewChange> viewChange(EventEnvelope envelope);
}
