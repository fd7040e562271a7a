package io.ordersvc.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>On a Redis Cluster each key is asked of the primary that serves its slot ({@link ClusterSlots}),
 * one pipeline per node; a MOVED reply or a node that does not answer (a failover under way) makes
 * it read the slot map again at the next poll.
 *
 * <p>Also the suite's hand in Redis for faults of its own: dropping a view, as an eviction would.
 */
final class ProjectionWatch implements AutoCloseable {

    /** The id of a stream's newest entry ('<position>-0'), '0-0' for none. */
    private static final String NEWEST = "local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1] return e and e[1] or '0-0'";

    /** The single Redis's port; unused on a cluster. */
    private final int port;
    /** On a Redis Cluster, which node serves each key; null on a single Redis. */
    private final ClusterSlots slots;
    private final MixedLoad load;
    /** Per acknowledgement, when the watch first saw the projector at its version or beyond (nanoTime). */
    final Map<MixedLoad.Ack, Long> projectedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProjectionWatch(int redisPort, MixedLoad load) {
        this(redisPort, null, load);
    }

    /** A watch on a Redis Cluster; {@code nodes}: every node's port. */
    static ProjectionWatch onCluster(Collection<Integer> nodes, MixedLoad load) {
        return new ProjectionWatch(0, new ClusterSlots(nodes), load);
    }

    private ProjectionWatch(int redisPort, ClusterSlots slots, MixedLoad load) {
        this.port = redisPort;
        this.slots = slots;
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
                    List<String> streams = orders.stream().map(o -> "changes:order:{" + o + "}").toList();
                    List<Object> positions = pipeline(streams, streams.stream().map(k -> List.of("EVAL", NEWEST, "1", k)).toList());
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
            List<Object> generation = pipeline(List.of("{views}:generation"), List.of(List.of("GET", "{views}:generation")));
            String g = generation.get(0) instanceof String s ? s : "1";
            String view = "g" + g + ":order:{" + order + "}";
            pipeline(List.of(view), List.of(List.of("DEL", view)));
        } catch (IOException | RuntimeException e) {
            // nothing to evict while Redis is away
        }
    }

    /**
     * Sends commands in one go and reads their replies; {@code keys}: the key each one names. On a
     * single Redis one pipeline; on a cluster one per node that serves some of the keys, and a node
     * that fails or answers MOVED leaves its replies null and the slot map to be read again.
     */
    List<Object> pipeline(List<String> keys, List<List<String>> commands) throws IOException {
        if (slots == null) {
            return RedisWire.pipeline(port, commands);
        }
        Map<Integer, List<Integer>> byNode = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byNode.computeIfAbsent(slots.portOf(keys.get(i)), p -> new ArrayList<>()).add(i);
        }
        Object[] replies = new Object[commands.size()];
        for (Map.Entry<Integer, List<Integer>> node : byNode.entrySet()) {
            try {
                List<Object> answered = RedisWire.pipeline(node.getKey(), node.getValue().stream().map(commands::get).toList());
                for (int i = 0; i < answered.size(); i++) {
                    Object reply = answered.get(i);
                    if (reply instanceof RedisWire.Error e && e.slotMoved()) {
                        slots.forget();
                        reply = null;
                    }
                    replies[node.getValue().get(i)] = reply;
                }
            } catch (IOException e) {
                slots.forget();
            }
        }
        return Arrays.asList(replies);
    }

    @Override
    public void close() {
        running = false;
    }
}
