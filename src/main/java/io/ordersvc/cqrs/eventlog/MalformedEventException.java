package io.ordersvc.cqrs.eventlog;

/** A message that cannot be read as an event: retrying cannot help, it belongs in the dead-letter topic. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
