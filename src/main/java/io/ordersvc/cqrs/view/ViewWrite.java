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
 */
public record ViewWrite(String key, long version, boolean snapshot, Map<String, String> fields,
        List<IndexEntry> indexes, String channel, String notification, Duration ttl) {

    public record IndexEntry(String key, double score, String member) {
    }

    public static ViewWrite snapshot(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, true, fields, List.of(), "", "", Duration.ZERO);
    }

    public static ViewWrite patch(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, false, fields, List.of(), "", "", Duration.ZERO);
    }

    public ViewWrite indexedIn(IndexEntry entry) {
        List<IndexEntry> all = new ArrayList<>(indexes);
        all.add(entry);
        return new ViewWrite(key, version, snapshot, fields, List.copyOf(all), channel, notification, ttl);
    }

    public ViewWrite announcedOn(String channel, String notification) {
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification, ttl);
    }

    public ViewWrite expiringAfter(Duration ttl) {
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification, ttl);
    }
}
