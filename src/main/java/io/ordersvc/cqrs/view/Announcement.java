package io.ordersvc.cqrs.view;

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
     * The announcement as made in the trace that {@code traceParent} names: its data also names
     * the trace ({@code traceId}), so that a client that sent a traceparent with its command finds
     * the same trace id on the changes the command caused.
     */
    public Announcement traced(String traceParent) {
        String traceId = TraceParent.traceId(traceParent);
        if (traceId == null) {
            return this;
        }
        int end = data.lastIndexOf('}');
        String members = data.substring(0, end).strip();
        String traced = members + (members.endsWith("{") ? "" : ",") + "\"traceId\":\"" + traceId + "\"}";
        return new Announcement(event, traced, stream, position, alsoOn, traceParent);
    }
}
