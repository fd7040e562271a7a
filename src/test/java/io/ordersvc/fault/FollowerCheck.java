package io.ordersvc.fault;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Whether one SSE follower got every change exactly once and in order, across its resumes. What it
 * received is a log of changes, resets and the refetches a reset led to; what it should have got is,
 * per order, every version from a first one up to the order's final version in the primary. A version
 * the follower did not receive counts as missing unless a refetch after a reset showed the order at
 * that version or later: a reset followed by a refetch is a consistent way to skip changes.
 */
final class FollowerCheck {

    /** One thing a follower logged, in the order it happened. */
    sealed interface Entry permits Change, Reset, Refetch {
    }

    /** A change event: its position in the stream (the order's version on an order's own stream). */
    record Change(long position, UUID orderId, long version) implements Entry {
    }

    /** A {@code reset} event at the stream's current position. */
    record Reset(long position) implements Entry {
    }

    /** What a refetch after a reset showed: each order's version. */
    record Refetch(Map<UUID, Long> versions) implements Entry {
    }

    /** The versions a follower should have got of one order: {@code first} to {@code last}, both included. */
    record Expected(long first, long last) {
    }

    record Verdict(int delivered, int duplicates, int outOfOrder, int missing, int resets, int positionGaps, int unexpected) {

        boolean clean() {
            return duplicates == 0 && outOfOrder == 0 && missing == 0 && positionGaps == 0 && unexpected == 0;
        }
    }

    private FollowerCheck() {
    }

    static Verdict check(List<Entry> log, Map<UUID, Expected> expected) {
        Map<UUID, Set<Long>> seen = new HashMap<>();
        Map<UUID, Long> lastVersion = new HashMap<>();
        Map<UUID, Long> covered = new HashMap<>();
        long lastPosition = Long.MIN_VALUE;
        int delivered = 0;
        int duplicates = 0;
        int outOfOrder = 0;
        int resets = 0;
        int gaps = 0;
        int unexpected = 0;
        for (Entry entry : log) {
            if (entry instanceof Reset reset) {
                resets++;
                lastPosition = reset.position();
            } else if (entry instanceof Refetch refetch) {
                refetch.versions().forEach((order, version) -> covered.merge(order, version, Math::max));
            } else if (entry instanceof Change change) {
                if (lastPosition != Long.MIN_VALUE && change.position() != lastPosition + 1) {
                    gaps++;
                }
                lastPosition = change.position();
                if (!expected.containsKey(change.orderId())) {
                    unexpected++;
                    continue;
                }
                if (!seen.computeIfAbsent(change.orderId(), o -> new HashSet<>()).add(change.version())) {
                    duplicates++;
                    continue;
                }
                delivered++;
                Long previous = lastVersion.put(change.orderId(), change.version());
                if (previous != null && change.version() < previous) {
                    outOfOrder++;
                }
            }
        }
        int missing = 0;
        for (Map.Entry<UUID, Expected> e : expected.entrySet()) {
            Set<Long> got = seen.getOrDefault(e.getKey(), Set.of());
            long refetched = covered.getOrDefault(e.getKey(), 0L);
            for (long v = e.getValue().first(); v <= e.getValue().last(); v++) {
                if (!got.contains(v) && v > refetched) {
                    missing++;
                }
            }
        }
        return new Verdict(delivered, duplicates, outOfOrder, missing, resets, gaps, unexpected);
    }
}
