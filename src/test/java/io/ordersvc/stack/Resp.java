package io.ordersvc.stack;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Redis's wire protocol (RESP2) to ping a server and to form a cluster: the stack
 * runs before any build, with the JDK alone, and CI has no {@code redis-cli}. One command per
 * connection; a reply is a {@code String} (simple or bulk), a {@code Long}, a {@code List} or null.
 */
final class Resp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);

    private Resp() {
    }

    /** Sends one command to the Redis on this loopback port and answers its reply; an error reply throws {@link Refused}. */
    static Object call(int port, Duration timeout, String... command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(encode(command));
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()), port);
        }
    }

    /** The text of a reply that is a string, such as {@code CLUSTER INFO}'s or {@code CLUSTER MYID}'s. */
    static String text(int port, Duration timeout, String... command) throws IOException {
        return String.valueOf(call(port, timeout, command));
    }

    /** Redis answered {@code -ERR ...} (or another error): the command reached it and was refused. */
    static final class Refused extends RuntimeException {
        Refused(int port, String message) {
            super("redis on port " + port + " answered " + message);
        }
    }

    private static byte[] encode(String... command) {
        StringBuilder b = new StringBuilder("*").append(command.length).append("\r\n");
        for (String arg : command) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object read(InputStream in, int port) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new Refused(port, line);
            case ':' -> Long.parseLong(line);
            case '$' -> bulk(in, Integer.parseInt(line));
            case '*' -> array(in, Integer.parseInt(line), port);
            case -1 -> throw new EOFException("redis on port " + port + " closed the connection");
            default -> throw new IOException("not a RESP reply from port " + port + ": " + (char) type + line);
        };
    }

    private static String bulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length < length + 2) {
            throw new EOFException("truncated reply");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static List<Object> array(InputStream in, int length, int port) throws IOException {
        if (length < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            items.add(read(in, port));
        }
        return items;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }
}
