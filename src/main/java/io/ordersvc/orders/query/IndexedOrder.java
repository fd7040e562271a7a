package io.ordersvc.orders.query;

import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An order as an index of orders lists it (a sorted set of order ids scored by a time in epoch
 * milliseconds): a list's page ends at one, and its cursor names it, so that pages stay stable while
 * orders come and go. Orders of the same score are told apart by id, as Redis orders them.
 */
record IndexedOrder(String orderId, long score) {

    /** Orders of the same score as the cursor's are told apart by id; a list reads this many beyond a page. */
    static final int TIE_ALLOWANCE = 50;
    /** How long a list's read from the replica may take (it may read many rows) before it fails. */
    static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(2);

    /** The entries of a {@code ZRANGE … WITHSCORES} reply, in its order. */
    static List<IndexedOrder> of(Response reply) {
        List<IndexedOrder> entries = new ArrayList<>();
        if (reply == null) {
            return entries;
        }
        // RESP2 answers a flat list of member, score; RESP3 a list of pairs
        if (reply.size() > 0 && reply.get(0).size() == 2) {
            reply.forEach(pair -> entries.add(new IndexedOrder(pair.get(0).toString(), (long) Double.parseDouble(pair.get(1).toString()))));
        } else {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                entries.add(new IndexedOrder(reply.get(i).toString(), (long) Double.parseDouble(reply.get(i + 1).toString())));
            }
        }
        return entries;
    }

    /** Whether this entry comes before {@code other} in the index's own order (ascending score, then id). */
    boolean isBefore(IndexedOrder other) {
        return score < other.score || score == other.score && orderId.compareTo(other.orderId) < 0;
    }

    UUID id() {
        return UUID.fromString(orderId);
    }

    /** The cursor of a page that ends here. */
    String cursor() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((score + ":" + orderId).getBytes(StandardCharsets.UTF_8));
    }

    /** The entry a cursor names; an {@link InvalidCursor} for one this service did not hand out. */
    static IndexedOrder fromCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            UUID id = UUID.fromString(text.substring(colon + 1));
            return new IndexedOrder(id.toString(), Long.parseLong(text.substring(0, colon)));
        } catch (RuntimeException e) {
            throw new InvalidCursor();
        }
    }

    /** A cursor this service did not hand out. */
    static final class InvalidCursor extends RuntimeException {

        InvalidCursor() {
            super("invalid cursor", null, false, false);
        }
    }
}
