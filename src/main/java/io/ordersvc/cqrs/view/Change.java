package io.ordersvc.cqrs.view;

/**
 * One announcement on a change stream: its position in the stream, the event's name, and its data
 * (JSON). A {@code reset} tells a client that it missed more than the stream keeps, or that the
 * stream started anew: it refetches what it shows, then goes on from {@code position}.
 */
public record Change(long position, String event, String data) {

    public static final String RESET = "reset";

    public static Change reset(long position, String reason) {
        return new Change(position, RESET, "{\"position\":" + position + ",\"reason\":\"" + reason + "\"}");
    }

    public boolean isReset() {
        return RESET.equals(event);
    }

    /** A message as the view write publishes it: {@code position \n event \n data}. */
    static Change parse(String message) {
        int first = message.indexOf('\n');
        int second = message.indexOf('\n', first + 1);
        return new Change(Long.parseLong(message.substring(0, first)), message.substring(first + 1, second),
                message.substring(second + 1));
    }

    /** A stream entry's announcement ({@code event \n data}) at its position. */
    static Change at(long position, String announcement) {
        int newline = announcement.indexOf('\n');
        return new Change(position, announcement.substring(0, newline), announcement.substring(newline + 1));
    }
}
