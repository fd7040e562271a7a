package io.ordersvc.cqrs.viewstore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sorted-set entry that lists a view: added (adding it again changes nothing) or removed. An entry
 * whose list it leaves is given the version of what it describes: the store keeps that version with
 * the entry for a while after its last move ({@code ordersvc.views.counted-ttl}), and makes a move
 * only over an older one, so that a late or re-driven event cannot put back an entry that a later
 * one removed, nor remove one that a later one added back.
 *
 * @param version the version of what the entry describes, or 0 for an entry that only ever enters
 * @param kept    for an entry added, how many entries its list keeps, the highest scored (the lowest
 *                go as it enters); 0 for no bound
 */
public record IndexEntry(String key, long score, String member, long version, boolean removed, int kept) {

    /** An entry that enters its list and never leaves. */
    public IndexEntry(String key, long score, String member) {
        this(key, score, member, 0, false, 0);
    }

    /** The entry added to its list as of {@code version} of what it describes. */
    public static IndexEntry added(String key, long score, String member, long version) {
        return new IndexEntry(key, score, member, version, false, 0);
    }

    /** The entry removed from its list as of {@code version} of what it describes. */
    public static IndexEntry removed(String key, String member, long version) {
        return new IndexEntry(key, 0, member, version, true, 0);
    }

    /** The same entry, its list keeping only its {@code kept} highest scored entries once it entered. */
    public IndexEntry keepingAtMost(int kept) {
        return new IndexEntry(key, score, member, version, removed, kept);
    }

    /**
     * The members of a list, with their scores, after {@code entries} of it are applied in the order
     * given (a late or re-driven one anywhere), by the rules the view store applies: how a list is
     * folded away from Redis, what a projection's specification checks.
     */
    public static Map<String, Long> fold(List<IndexEntry> entries) {
        Map<String, Long> members = new LinkedHashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (IndexEntry e : entries) {
            if (e.version() > 0) {
                if (versions.getOrDefault(e.member(), 0L) >= e.version()) {
                    continue;
                }
                versions.put(e.member(), e.version());
            }
            if (e.removed()) {
                members.remove(e.member());
            } else {
                members.put(e.member(), e.score());
                while (e.kept() > 0 && members.size() > e.kept()) {
                    members.entrySet().stream().min(Map.Entry.comparingByValue())
                            .ifPresent(lowest -> members.remove(lowest.getKey()));
                }
            }
        }
        return members;
    }
}
