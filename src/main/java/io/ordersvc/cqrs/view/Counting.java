package io.ordersvc.cqrs.view;

import java.util.List;

/**
 * Counter moves of an aggregate view (a dashboard's figures), made once for each version of their
 * subject and in version order: the subject's counted version, a key of its own that expires a while
 * after its last move ({@code ordersvc.views.counted-ttl}), keeps a replay from counting twice.
 */
public record Counting(String subject, long version, List<Move> moves) {

    /** {@code HINCRBY hash field delta}. */
    public record Move(String hash, String field, long delta) {
    }
}
