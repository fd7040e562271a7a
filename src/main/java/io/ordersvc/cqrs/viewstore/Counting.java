package io.ordersvc.cqrs.viewstore;

import java.util.List;

/**
 * Counter moves of an aggregate view (a dashboard's figures), made once for each version of their
 * subject and in version order: the subject's counted version, a key of its own that expires a while
 * after its last move ({@code ordersvc.views.counted-ttl}), keeps a replay from counting twice. It is
 * kept in the hash slot of the moves' hashes, which {@code slot} names: each of them carries the
 * hash tag {@code {slot}}, so that the check and the moves are one atomic step on a Redis Cluster.
 */
public record Counting(String slot, String subject, long version, List<Move> moves) {

    /** {@code HINCRBY hash field delta}. */
    public record Move(String hash, String field, long delta) {
    }

    /** The key of the subject's counted version, without its generation. */
    public String countedKey() {
        return "counted:{" + slot + "}:" + subject;
    }
}
