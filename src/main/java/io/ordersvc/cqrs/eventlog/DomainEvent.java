package io.ordersvc.cqrs.eventlog;

/** What the event log needs to know of an event record to store it. */
public interface DomainEvent {

    /** The stable name on the wire; renaming the record must not change it. */
    String eventType();

    /** Raised whenever the record's shape changes; older payloads are upcast when read. */
    int schemaVersion();
}
