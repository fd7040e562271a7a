package io.ordersvc.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's wire protocol (RESP2), the little that the drivers need to talk to Redis over a bare
 * socket, with no client library between them and the moment a reply arrives.
 */
public final class Resp {

    private Resp() {
    }

    /** One command as Redis reads it: an array of bulk strings. */
    public static byte[] command(List<String> words) {
        StringBuilder sb = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String w : words) {
            sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The next reply: a list for an array, a string for a bulk string, a simple string or an integer; null for a nil. */
    public static Object reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>(Math.max(n, 0));
                for (int i = 0; i < n; i++) {
                    items.add(reply(in));
                }
                return items;
            }
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case ':', '+' -> {
                return line;
            }
            case '-' -> throw new IOException("redis: " + line);
            default -> throw new IOException("unexpected RESP type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }
}
