package io.ordersvc.fault;

import io.ordersvc.support.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Watches, straight in Redis, when the projector has applied each acknowledged order command: the
 * projector, and only the projector, moves an order's change-stream position
 * (the newest entry of {@code changes:order:{<id>}}, at the order's version) in the same atomic step
 * as the view write.
 * A read on a cache miss puts a view back but announces nothing, so unlike the view itself this
 * position cannot be mistaken for projector progress. Polled every 200 ms with one pipelined
 * round trip; errors (Redis down or paused) are ignored until it answers again.
 *
 * <p>Also the suite's hand in Redis for faults of its own: dropping a view, as an eviction would.
 */
final class ProjectionWatch implements AutoCloseable {

    /** The id of a stream's newest entry ('<position>-0'), '0-0' for none. */
    private static final String NEWEST = "local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1] return e and e[1] or '0-0'";

    private final int port;
    private final MixedLoad load;
    /** Per acknowledgement, when the watch first saw the projector at its version or beyond (nanoTime). */
    final Map<MixedLoad.Ack, Long> projectedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProjectionWatch(int redisPort, MixedLoad load) {
        this.port = redisPort;
        this.load = load;
        this.thread = new Thread(this::watch, "projection-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void watch() {
        while (running) {
            List<MixedLoad.Ack> pending = new ArrayList<>();
            for (MixedLoad.Ack a : load.acks) {
                if (isOrderCommand(a) && !projectedAt.containsKey(a)) {
                    pending.add(a);
                }
            }
            if (!pending.isEmpty()) {
                List<UUID> orders = pending.stream().map(MixedLoad.Ack::aggregateId).distinct().toList();
                try {
                    List<Object> positions = pipeline(orders.stream().map(o -> List.of("EVAL", NEWEST, "1", "changes:order:{" + o + "}")).toList());
                    long now = System.nanoTime();
                    Map<UUID, Long> at = new HashMap<>();
                    for (int i = 0; i < orders.size(); i++) {
                        Object p = positions.get(i);
                        at.put(orders.get(i), p instanceof String s ? Long.parseLong(s.split("-")[0]) : 0L);
                    }
                    for (MixedLoad.Ack a : pending) {
                        if (at.getOrDefault(a.aggregateId(), 0L) >= a.version()) {
                            projectedAt.put(a, now);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // Redis away: try again at the next poll
                }
            }
            Instances.sleep(200);
        }
    }

    static boolean isOrderCommand(MixedLoad.Ack a) {
        return switch (a.kind()) {
            case PLACE, CHANGE_ADDRESS, CONFIRM, SHIP, CANCEL -> true;
            default -> false;
        };
    }

    /** Drops an order's view from the active generation, as memory pressure would evict it. */
    void evict(UUID order) {
        try {
            List<Object> generation = pipeline(List.of(List.of("GET", "{views}:generation")));
            String g = generation.get(0) instanceof String s ? s : "1";
            pipeline(List.of(List.of("DEL", "g" + g + ":order:{" + order + "}")));
        } catch (IOException | RuntimeException e) {
            // nothing to evict while Redis is away
        }
    }

    /** Sends commands in one go and reads their replies: a fresh connection, short timeouts. */
    List<Object> pipeline(List<List<String>> commands) throws IOException {
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
                replies.add(Resp.reply(in));
            }
            return replies;
        }
    }

    @Override
    public void close() {
        running = false;
    }
}
