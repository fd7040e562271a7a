package io.ordersvc.stack;

import io.ordersvc.support.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * One command to a Redis of the stack, over a bare socket ({@link Resp}): enough to ping a server and
 * to form a cluster, since the stack runs before any build, with the JDK alone, and CI has no
 * {@code redis-cli}. A reply is a string (simple, bulk or integer), a list, or null; an error reply
 * throws an {@link IOException} naming it.
 */
final class RedisCall {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);

    private RedisCall() {
    }

    /** Sends one command to the Redis on this loopback port and answers its reply. */
    static Object call(int port, Duration timeout, String... command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(Resp.command(List.of(command)));
            out.flush();
            return Resp.reply(new BufferedInputStream(s.getInputStream()));
        }
    }

    /** The text of a reply that is a string, such as {@code CLUSTER INFO}'s or {@code CLUSTER MYID}'s. */
    static String text(int port, Duration timeout, String... command) throws IOException {
        return String.valueOf(call(port, timeout, command));
    }
}
