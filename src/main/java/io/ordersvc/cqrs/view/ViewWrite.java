package io.ordersvc.cqrs.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One atomic, version-guarded change to a view hash.
 *
 * @param snapshot true when {@code fields} is the whole view (it replaces what is there), false
 *                 when they are the fields one event changes (applied only on top of version - 1)
 * @param indexes  sorted-set entries that list the view, written with it
 * @param streams  the change streams that announce this change: first the view's own (positioned by
 *                 version), then others such as a list's; {@code ${field}} in a name stands for that
 *                 field of the view. Empty for none (a cache refill, a rebuild)
 * @param announcement the event name, a newline, then the data; {@code ${field}} stands for a field of the view
 * @param ttl      how long the view may stay cached before a read rebuilds it; zero for always
 * @param counters hash counters moved when, and only when, the write applies (aggregate views)
 */
public record ViewWrite(String key, long version, boolean snapshot, Map<String, String> fields,
        List<IndexEntry> indexes, List<String> streams, String announcement, Duration ttl, List<Counter> counters) {

    public record IndexEntry(String key, double score, String member) {
    }

    /**
     * {@code HINCRBY hash field delta}; each part may name a field of the view as it was before
     * the write ({@code ${old.status}}) or after it ({@code ${new.totalCents}}).
     */
    public record Counter(String hash, String field, String delta) {
    }

    public static ViewWrite snapshot(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, true, fields, List.of(), List.of(), "", Duration.ZERO, List.of());
    }

    public static ViewWrite patch(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, false, fields, List.of(), List.of(), "", Duration.ZERO, List.of());
    }

    public ViewWrite indexedIn(IndexEntry entry) {
        List<IndexEntry> all = new ArrayList<>(indexes);
        all.add(entry);
        return new ViewWrite(key, version, snapshot, fields, List.copyOf(all), streams, announcement, ttl, counters);
    }

    public ViewWrite counting(Counter... more) {
        List<Counter> all = new ArrayList<>(counters);
        all.addAll(List.of(more));
        return new ViewWrite(key, version, snapshot, fields, indexes, streams, announcement, ttl, List.copyOf(all));
    }

    /** Announces the change as {@code event} with {@code data} on the view's own stream, and on others. */
    public ViewWrite announced(String event, String data, String ownStream, String... otherStreams) {
        List<String> all = new ArrayList<>();
        all.add(ownStream);
        all.addAll(List.of(otherStreams));
        return new ViewWrite(key, version, snapshot, fields, indexes, List.copyOf(all), event + "\n" + data, ttl, counters);
    }

    /** The same write, announced nowhere: what a rebuild makes of a live write. */
    public ViewWrite unannounced() {
        return new ViewWrite(key, version, snapshot, fields, indexes, List.of(), "", ttl, counters);
    }

    public ViewWrite expiringAfter(Duration ttl) {
        return new ViewWrite(key, version, snapshot, fields, indexes, streams, announcement, ttl, counters);
    }
}
