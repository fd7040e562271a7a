package io.ordersvc.cqrs.viewstore;

import io.ordersvc.cqrs.tracing.TraceParent;
import java.util.List;

/**
 * A change announced on the view's own change stream at {@code position} (its version), and on the
 * streams {@code alsoOn} (a list's, positioned by a sequence of their own). The own stream gates the
 * others: a change is announced once.
 *
 * @param data  the event's data, a JSON object
 * @param trace the traceparent of the projection that made the change, or null: the change's
 *              delivery to stream clients joins that trace
 */
public record Announcement(String event, String data, String stream, long position, List<String> alsoOn, String trace) {

    public Announcement(String event, String data, String stream, long position, List<String> alsoOn) {
        this(event, data, stream, position, alsoOn, null);
    }

    /**
     * The announcement as made in the trace that {@code traceParent} names. The stream keeps the
     * traceparent beside the data, once; a client reads the trace id in the data it receives
     * ({@code changes.Change.at}), so that one that sent a traceparent with its command finds the
     * same trace id on the changes the command caused.
     */
    public Announcement traced(String traceParent) {
        if (TraceParent.traceId(traceParent) == null) {
            return this;
        }
        return new Announcement(event, data, stream, position, alsoOn, traceParent);
    }
}
