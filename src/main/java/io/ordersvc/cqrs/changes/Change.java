package io.ordersvc.cqrs.changes;

import io.ordersvc.cqrs.tracing.TraceParent;

/**
 * One announcement on a change stream: its position in the stream, the event's name, and its data
 * (JSON). A {@code reset} tells a client that it missed more than the stream keeps, or that the
 * stream started anew: it refetches what it shows, then goes on from {@code position}.
 *
 * @param data  the data as clients receive it: a traced change's names its trace ({@code traceId})
 * @param trace the traceparent of the projection that announced the change, or null; never sent
 *              to clients (the data names the trace id)
 */
public record Change(long position, String event, String data, String trace) {

    private static final String RESET = "reset";

    private static final String TRACE_ID = "\"traceId\"";

    public Change(long position, String event, String data) {
        this(position, event, data, null);
    }

    public static Change reset(long position, String reason) {
        return new Change(position, RESET, "{\"position\":" + position + ",\"reason\":\"" + reason + "\"}");
    }

    /** A message as the view write publishes it: {@code position \n event \n data [\n traceparent]}. */
    static Change parse(String message) {
        int first = message.indexOf('\n');
        return at(Long.parseLong(message.substring(0, first)), message.substring(first + 1));
    }

    /**
     * A stream entry's announcement ({@code event \n data [\n traceparent]}) at its position. The
     * stream keeps the trace once, in the traceparent; the data read back names its trace id too.
     */
    static Change at(long position, String announcement) {
        int first = announcement.indexOf('\n');
        int second = announcement.indexOf('\n', first + 1);
        String event = announcement.substring(0, first);
        if (second < 0) {
            return new Change(position, event, announcement.substring(first + 1));
        }
        String trace = announcement.substring(second + 1);
        return new Change(position, event, naming(announcement.substring(first + 1, second), trace), trace);
    }

    /** The data with its trace id as the last member; data stored before 2026-12-07 named it already. */
    private static String naming(String data, String trace) {
        String traceId = TraceParent.traceId(trace);
        if (traceId == null || data.contains(TRACE_ID)) {
            return data;
        }
        String members = data.substring(0, data.lastIndexOf('}')).strip();
        return members + (members.endsWith("{") ? "" : ",") + TRACE_ID + ":\"" + traceId + "\"}";
    }
}
