package io.ordersvc.cqrs.eventlog;

/** A record read from a topic: its envelope, and the event it carries as its current record. */
public record Received<E>(EventEnvelope envelope, E event) {
}
