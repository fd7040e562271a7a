package io.ordersvc.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Many server-sent-event streams on one selector thread: plain NIO sockets, HTTP/1.1 with or
 * without chunked framing, and a line parser per connection, so that ten thousand streams cost the
 * driver a few MiB and one thread. Every event whose data names the followed aggregate is
 * timestamped on arrival, per connection and per aggregate version.
 *
 * <p>The selector thread owns the sockets; other threads only raise the wanted number of
 * connections ({@link #openTo}), ask to close them all, and read the counters and arrival times.
 */
final class SseClients implements Runnable {

    static final int NONE = 0;
    static final int PENDING = 1;
    static final int OPEN = 2;
    static final int DROPPED = 3;
    static final int REFUSED = 4;
    static final int FAILED = 5;
    static final int CLOSED = 6;

    /** Connections connecting or waiting for their response headers at once, so that the accept queue never overflows. */
    private static final int MAX_PENDING = 256;
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final InetSocketAddress server;
    /** The request up to its last header, and each connection's {@code Authorization} by index. */
    private final String requestHead;
    private final IntFunction<String> authorization;
    private final String followed;
    private final int capacity;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
    private final Set<Connection> pending = new HashSet<>();
    private final Connection[] connections;
    /** Nanoseconds between two new connections; 0: as fast as {@link #MAX_PENDING} allows. */
    private final long connectInterval;
    private long nextStartAt;

    /** What each connection is, readable from any thread. */
    final AtomicIntegerArray status;
    /** Version of the followed aggregate → arrival time (nanoTime) per connection, 0 while not received. */
    final Map<Long, long[]> arrivals = new ConcurrentHashMap<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
    final AtomicLong comments = new AtomicLong();
    final AtomicLong otherEvents = new AtomicLong();
    volatile String lastRefusal = "";
    volatile String lastFailure = "";

    private volatile int wanted;
    private volatile boolean closeAll;
    private volatile boolean running = true;
    private int started;
    private long lastTimeoutCheck;

    SseClients(InetSocketAddress server, String path, IntFunction<String> authorization, String followed, int capacity,
            int connectsPerSecond) throws IOException {
        this.server = server;
        this.requestHead = "GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n";
        this.authorization = authorization;
        this.followed = followed;
        this.capacity = capacity;
        this.selector = Selector.open();
        this.connections = new Connection[capacity];
        this.status = new AtomicIntegerArray(capacity);
        this.connectInterval = connectsPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / connectsPerSecond : 0;
    }

    /** Opens connections until {@code total} have been attempted since the start (or the last close). */
    void openTo(int total) {
        wanted = Math.min(total, capacity);
        selector.wakeup();
    }

    /** Every attempted connection has been answered (or has failed). */
    boolean settled() {
        return startedSoFar() >= wanted && pendingCount() == 0;
    }

    private volatile int startedView;
    private volatile int pendingView;

    int startedSoFar() {
        return startedView;
    }

    int pendingCount() {
        return pendingView;
    }

    int count(int state) {
        int n = 0;
        for (int i = 0; i < capacity; i++) {
            if (status.get(i) == state) {
                n++;
            }
        }
        return n;
    }

    /** Closes every connection and forgets the arrivals; returns once done. */
    void closeAllAndReset() throws InterruptedException {
        closeAll = true;
        selector.wakeup();
        while (closeAll) {
            Thread.sleep(10);
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(connectInterval > 0 && started < wanted ? 5 : 50);
                long now = System.nanoTime();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key, now);
                }
                if (closeAll) {
                    closeEverything();
                }
                startMore(now);
                if (now - lastTimeoutCheck > TimeUnit.SECONDS.toNanos(1)) {
                    lastTimeoutCheck = now;
                    expireUnanswered(now);
                }
                startedView = started;
                pendingView = pending.size();
            }
            for (Connection c : connections) {
                if (c != null) {
                    c.close();
                }
            }
            selector.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startMore(long now) {
        // a paced start catches up after a long select, but by no more than 100 ms worth of connections
        nextStartAt = Math.max(nextStartAt, now - TimeUnit.MILLISECONDS.toNanos(100));
        while (started < wanted && pending.size() < MAX_PENDING && (connectInterval == 0 || nextStartAt <= now)) {
            nextStartAt += connectInterval;
            Connection c = new Connection(started++, now);
            connections[c.index] = c;
            status.set(c.index, PENDING);
            pending.add(c);
            try {
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (c.channel.connect(server)) {
                    c.key = c.channel.register(selector, 0, c);
                    sendRequest(c);
                } else {
                    c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                fail(c, FAILED, "connect: " + e.getMessage());
            }
        }
    }

    private void handle(SelectionKey key, long now) {
        Connection c = (Connection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                c.channel.finishConnect();
                sendRequest(c);
            } else if (key.isWritable()) {
                sendRequest(c);
            } else if (key.isReadable()) {
                read(c, now);
            }
        } catch (IOException e) {
            fail(c, c.answered ? DROPPED : FAILED, e.getMessage());
        }
    }

    private void sendRequest(Connection c) throws IOException {
        if (c.out == null) {
            c.out = ByteBuffer.wrap((requestHead + "Authorization: " + authorization.apply(c.index) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        c.channel.write(c.out);
        if (c.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
        } else {
            c.out = null;
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(Connection c, long now) throws IOException {
        buffer.clear();
        int n = c.channel.read(buffer);
        if (n < 0) {
            fail(c, c.answered ? DROPPED : FAILED, "closed by the server");
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining() && c.channel.isOpen()) {
            byte b = buffer.get();
            if (!c.answered) {
                header(c, b, now);
            } else if (c.chunked) {
                chunked(c, b, now);
            } else {
                c.line(b, now);
            }
        }
    }

    private void header(Connection c, byte b, long now) {
        c.head.append((char) (b & 0xff));
        int len = c.head.length();
        if (len > 16384) {
            fail(c, FAILED, "response head too long");
            return;
        }
        if (b != '\n' || len < 4 || c.head.charAt(len - 2) != '\r' || c.head.charAt(len - 3) != '\n') {
            return;
        }
        String head = c.head.toString();
        c.head = null;
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        int code = Integer.parseInt(statusLine.split(" ")[1]);
        if (code == 200) {
            c.answered = true;
            c.chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
            pending.remove(c);
            status.set(c.index, OPEN);
        } else if (code == 503) {
            lastRefusal = head.strip().replace("\r\n", " | ");
            fail(c, REFUSED, null);
        } else {
            fail(c, FAILED, statusLine);
        }
    }

    /** HTTP/1.1 chunked framing: size line, data, CRLF; a zero-size chunk ends the stream. */
    private void chunked(Connection c, byte b, long now) {
        if (c.chunkLeft > 0) {
            c.chunkLeft--;
            c.line(b, now);
            if (c.chunkLeft == 0) {
                c.afterChunk = true;
            }
            return;
        }
        if (b == '\n') {
            if (c.afterChunk) {
                c.afterChunk = false;
                return;
            }
            if (c.chunkSize == 0 && c.sawDigit) {
                fail(c, DROPPED, "the server ended the stream");
                return;
            }
            c.chunkLeft = c.chunkSize;
            c.chunkSize = 0;
            c.sawDigit = false;
            c.inExtension = false;
            return;
        }
        if (c.afterChunk || b == '\r' || c.inExtension) {
            return;
        }
        if (b == ';') {
            c.inExtension = true;
            return;
        }
        c.chunkSize = c.chunkSize * 16 + Character.digit(b, 16);
        c.sawDigit = true;
    }

    private void fail(Connection c, int state, String why) {
        if (why != null) {
            lastFailure = why;
        }
        status.set(c.index, state);
        pending.remove(c);
        c.close();
    }

    private void expireUnanswered(long now) {
        for (Connection c : pending.toArray(Connection[]::new)) {
            if (now - c.startedAt > ANSWER_TIMEOUT_NANOS) {
                fail(c, FAILED, "no answer within 30 s");
            }
        }
    }

    private void closeEverything() {
        for (int i = 0; i < started; i++) {
            if (connections[i] != null) {
                connections[i].close();
                connections[i] = null;
            }
            status.set(i, NONE);
        }
        pending.clear();
        started = 0;
        wanted = 0;
        arrivals.clear();
        delivered.set(0);
        duplicates.set(0);
        outOfOrder.set(0);
        resets.set(0);
        comments.set(0);
        otherEvents.set(0);
        closeAll = false;
    }

    private void arrived(Connection c, String event, String id, String data, long now) {
        if ("reset".equals(event)) {
            resets.incrementAndGet();
            return;
        }
        if (id != null) {
            try {
                long position = Long.parseLong(id.strip());
                if (position <= c.lastId) {
                    outOfOrder.incrementAndGet();
                }
                c.lastId = position;
            } catch (NumberFormatException e) {
                // ids are positions or versions; anything else is not ordered
            }
        }
        long version = data == null || !data.contains(followed) ? -1 : version(data);
        if (version < 0) {
            otherEvents.incrementAndGet();
            return;
        }
        long[] times = arrivals.computeIfAbsent(version, v -> new long[capacity]);
        if (times[c.index] != 0) {
            duplicates.incrementAndGet();
            return;
        }
        times[c.index] = now;
        delivered.incrementAndGet();
    }

    private static long version(String data) {
        int at = data.indexOf("\"version\"");
        if (at < 0) {
            return -1;
        }
        at = data.indexOf(':', at) + 1;
        while (at < data.length() && data.charAt(at) == ' ') {
            at++;
        }
        long v = 0;
        boolean digits = false;
        while (at < data.length() && Character.isDigit(data.charAt(at))) {
            v = v * 10 + (data.charAt(at++) - '0');
            digits = true;
        }
        return digits ? v : -1;
    }

    /** One stream: its socket, the parser's state and the fields of the event being read. */
    private final class Connection {

        final int index;
        final long startedAt;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        StringBuilder head = new StringBuilder(256);
        boolean answered;
        boolean chunked;
        long chunkLeft;
        long chunkSize;
        boolean sawDigit;
        boolean inExtension;
        boolean afterChunk;
        long lastId = Long.MIN_VALUE;
        byte[] lineBytes = new byte[64];
        int lineLength;
        String event;
        String id;
        String data;

        Connection(int index, long startedAt) {
            this.index = index;
            this.startedAt = startedAt;
        }

        /** The event-stream format: field lines, comments starting with ':', a blank line ends an event. */
        void line(byte b, long now) {
            if (b != '\n') {
                if (lineLength == lineBytes.length) {
                    lineBytes = Arrays.copyOf(lineBytes, lineBytes.length * 2);
                }
                lineBytes[lineLength++] = b;
                return;
            }
            int len = lineLength > 0 && lineBytes[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            if (len == 0) {
                if (data != null || event != null) {
                    arrived(this, event, id, data, now);
                }
                event = null;
                id = null;
                data = null;
                return;
            }
            String line = new String(lineBytes, 0, len, StandardCharsets.UTF_8);
            if (line.startsWith(":")) {
                comments.incrementAndGet();
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> data = data == null ? value : data + "\n" + value;
                case "event" -> event = value;
                case "id" -> id = value;
                default -> {
                    // retry and unknown fields carry nothing to measure
                }
            }
        }

        void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // closing a socket that is already gone
            }
        }
    }
}
