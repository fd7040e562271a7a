package io.ordersvc.cqrs.view;

/** A sorted-set entry that lists a view; adding it again changes nothing. */
public record IndexEntry(String key, long score, String member) {
}
