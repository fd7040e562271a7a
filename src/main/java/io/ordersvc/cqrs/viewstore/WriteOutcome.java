package io.ordersvc.cqrs.viewstore;

/** What a version-guarded write did. */
public enum WriteOutcome {
    APPLIED,
    /** The view already reflects this version or a newer one: a duplicate or a replay. */
    ALREADY_SEEN,
    /** Versions were skipped: the view was dropped rather than left mixing versions. */
    GAP_DROPPED,
    /** A patch for a view that is not cached: nothing to patch, the next read rebuilds it. */
    NOT_CACHED;

    static WriteOutcome of(long code) {
        return switch ((int) code) {
            case 1 -> APPLIED;
            case 0 -> ALREADY_SEEN;
            case -1 -> GAP_DROPPED;
            case -2 -> NOT_CACHED;
            default -> throw new IllegalStateException("unknown view write outcome " + code);
        };
    }
}
