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
 * @param channel  where to announce the change once applied; empty for none (a cache refill)
 * @param ttl      how long the view may stay cached before a read rebuilds it; zero for always
 * @param counters hash counters moved when, and only when, the write applies (aggregate views)
 */
public record ViewWrite(String key, long version, boolean snapshot, Map<String, String> fields,
        List<IndexEntry> indexes, String channel, String notification, Duration ttl, List<Counter> counters) {

    public record IndexEntry(String key, double score, String member) {
    }

    /**
     * {@code HINCRBY hash field delta}; each part may name a field of the view as it was before
     * the write ({@code ${old.status}}) or after it ({@code ${new.totalCents}}).
     */
    public record Counter(String hash, String field, String delta) {
    }

    public static ViewWrite snapshot(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, true, fields, List.of(), "", "", Duration.ZERO, List.of());
    }

    public static ViewWrite patch(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, false, fields, List.of(), "", "", Duration.ZERO, List.of());
    }

    public ViewWrite indexedIn(IndexEntry entry) {
        List<IndexEntry> all = new ArrayList<>(indexes);
        all.add(entry);
        return new ViewWrite(key, version, snapshot, fields, List.copyOf(all), channel, notification, ttl, counters);
    }

    public ViewWrite counting(Counter... more) {
        List<Counter> all = new ArrayList<>(counters);
        all.addAll(List.of(more));
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification, ttl, List.copyOf(all));
    }

    public ViewWrite announcedOn(String channel, String notification) {
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification, ttl, counters);
    }

    public ViewWrite expiringAfter(Duration ttl) {
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification, ttl, counters);
    }
}
