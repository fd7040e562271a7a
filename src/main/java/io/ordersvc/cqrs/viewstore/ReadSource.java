package io.ordersvc.cqrs.viewstore;

/** Where a read found the view it answers: Redis, or the event log on the replica or on the primary. */
public enum ReadSource {
    CACHE, REPLICA, PRIMARY
}
