package io.ordersvc.cqrs.viewstore;

import java.util.ArrayList;
import java.util.List;

/**
 * One event's effect on the read models, every value resolved: the view store applies it in one
 * atomic step, each part under its own guard (see {@code lua/view-changes.lua}), so that an index
 * entry or a counter move never depends on whether the view happened to be cached.
 *
 * @param counting     null for none
 * @param announcement null for none (a cache refill, a rebuild)
 */
public record ViewChange(ViewWrite view, List<IndexEntry> indexes, Counting counting, Announcement announcement) {

    public static ViewChange of(ViewWrite view) {
        return new ViewChange(view, List.of(), null, null);
    }

    public ViewChange indexedIn(List<IndexEntry> more) {
        List<IndexEntry> all = new ArrayList<>(indexes);
        all.addAll(more);
        return new ViewChange(view, List.copyOf(all), counting, announcement);
    }

    public ViewChange counting(Counting counting) {
        return new ViewChange(view, indexes, counting, announcement);
    }

    public ViewChange announced(Announcement announcement) {
        return new ViewChange(view, indexes, counting, announcement);
    }

    /** The same change, its announcement made in the trace that {@code traceParent} names. */
    public ViewChange traced(String traceParent) {
        return announcement == null ? this : new ViewChange(view, indexes, counting, announcement.traced(traceParent));
    }

    /** The same change, announced nowhere: what a rebuild makes of a live change. */
    public ViewChange unannounced() {
        return new ViewChange(view, indexes, counting, null);
    }
}
