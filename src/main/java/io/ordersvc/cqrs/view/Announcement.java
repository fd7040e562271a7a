package io.ordersvc.cqrs.view;

import java.util.List;

/**
 * A change announced on the view's own change stream at {@code position} (its version), and on the
 * streams {@code alsoOn} (a list's, positioned by a sequence of their own). The own stream gates the
 * others: a change is announced once.
 *
 * @param data the event's data, JSON
 */
public record Announcement(String event, String data, String stream, long position, List<String> alsoOn) {
}
