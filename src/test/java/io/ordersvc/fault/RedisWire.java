package io.ordersvc.fault;

import io.ordersvc.support.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's own hand in one Redis node, apart from the service's client: commands over a bare
 * socket ({@link Resp}), a fresh connection each time, short timeouts, so that a node that is down or
 * paused costs a poll, never a hang.
 */
final class RedisWire {

    private static final String ERROR_PREFIX = "redis: ";

    /** An error reply, kept in its place among a pipeline's replies (MOVED, CLUSTERDOWN, OOM, ...). */
    record Error(String message) {

        /** The node no longer serves the key's slot, or the cluster has no node for it now: the slot map is out of date. */
        boolean slotMoved() {
            return message.startsWith("MOVED ") || message.startsWith("ASK ") || message.startsWith("CLUSTERDOWN")
                    || message.startsWith("TRYAGAIN");
        }
    }

    private RedisWire() {
    }

    /** Sends commands in one go and reads their replies, an error reply as an {@link Error} in its place. */
    static List<Object> pipeline(int port, List<List<String>> commands) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            for (List<String> words : commands) {
                out.write(Resp.command(words));
            }
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            List<Object> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                replies.add(reply(in));
            }
            return replies;
        }
    }

    /** One command; an error reply throws, naming it. */
    static Object call(int port, String... words) throws IOException {
        Object reply = pipeline(port, List.of(List.of(words))).get(0);
        if (reply instanceof Error e) {
            throw new IOException(ERROR_PREFIX + e.message());
        }
        return reply;
    }

    /** A section of INFO ({@code memory}, {@code stats}, {@code errorstats}, ...) as its {@code key:value} lines. */
    static Map<String, String> info(int port, String section) throws IOException {
        return fields(call(port, "INFO", section));
    }

    /** CLUSTER INFO as its {@code key:value} lines. */
    static Map<String, String> clusterInfo(int port) throws IOException {
        return fields(call(port, "CLUSTER", "INFO"));
    }

    private static Map<String, String> fields(Object text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String.valueOf(text).lines().filter(line -> line.contains(":") && !line.startsWith("#"))
                .forEach(line -> fields.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).trim()));
        return fields;
    }

    /** {@code master} or {@code slave}, as the node's ROLE says. */
    static String role(int port) throws IOException {
        return String.valueOf(((List<?>) call(port, "ROLE")).get(0));
    }

    /** {@link Resp#reply} reads an error reply whole before it throws: the next reply is still in place. */
    private static Object reply(InputStream in) throws IOException {
        try {
            return Resp.reply(in);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith(ERROR_PREFIX)) {
                return new Error(message.substring(ERROR_PREFIX.length()));
            }
            throw e;
        }
    }
}
