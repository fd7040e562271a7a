package io.ordersvc.cqrs.view;

import java.util.List;
import java.util.Map;

/**
 * One atomic, version-guarded change to a view hash.
 *
 * @param snapshot true when {@code fields} is the whole view (it replaces what is there), false
 *                 when they are the fields one event changes (applied only on top of version - 1)
 * @param indexes  sorted-set entries that list the view, written with it
 * @param channel  where to announce the change once applied; empty for none (a cache refill)
 */
public record ViewWrite(String key, long version, boolean snapshot, Map<String, String> fields,
        List<IndexEntry> indexes, String channel, String notification) {

    public record IndexEntry(String key, double score, String member) {
    }

    public static ViewWrite snapshot(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, true, fields, List.of(), "", "");
    }

    public ViewWrite indexedIn(IndexEntry entry) {
        List<IndexEntry> all = new java.util.ArrayList<>(indexes);
        all.add(entry);
        return new ViewWrite(key, version, snapshot, fields, List.copyOf(all), channel, notification);
    }

    public ViewWrite announcedOn(String channel, String notification) {
        return new ViewWrite(key, version, snapshot, fields, indexes, channel, notification);
    }
}
