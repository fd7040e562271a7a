package io.ordersvc.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Which node of a Redis Cluster serves a key, worked out as a cluster client does: the key's hash
 * slot (CRC16 of its hash tag, or of the whole key when it has none, mod 16384), and the primary that
 * {@code CLUSTER SLOTS} names for that slot. The map is kept until {@link #forget} (after a MOVED
 * reply or a node that does not answer: a failover moved the slots) and read again on next use.
 */
final class ClusterSlots {

    static final int SLOTS = 16_384;

    private final List<Integer> nodes;
    /** The port of the primary serving each slot (0: none), as the map was last read; null: to be read again. */
    private volatile int[] owners;

    /** {@code nodes}: every node's port; any of them that answers gives the map. */
    ClusterSlots(Collection<Integer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * The key's slot. Its hash tag is what lies between its first '{' and the next '}', when that is not
     * empty; only the tag is hashed, so keys that share one share a slot.
     */
    static int slot(String key) {
        String hashed = key;
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                hashed = key.substring(open + 1, close);
            }
        }
        return crc16(hashed.getBytes(StandardCharsets.UTF_8)) & (SLOTS - 1);
    }

    /** CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection): the one Redis Cluster hashes with. */
    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }

    /** The port of the primary that serves the key's slot, as the map says (read first when forgotten). */
    int portOf(String key) throws IOException {
        int[] map = owners;
        if (map == null) {
            map = refresh();
        }
        int port = map[slot(key)];
        if (port == 0) {
            owners = null;
            throw new IOException("no node serves slot " + slot(key) + " of " + key);
        }
        return port;
    }

    /** The map is out of date: the next {@link #portOf} reads it again. */
    void forget() {
        owners = null;
    }

    /** Reads the map from the first node that answers (a killed one does not). */
    int[] refresh() throws IOException {
        IOException last = new IOException("no node given");
        for (int port : nodes) {
            try {
                int[] map = new int[SLOTS];
                for (Object range : (List<?>) RedisWire.call(port, "CLUSTER", "SLOTS")) {
                    List<?> r = (List<?>) range;
                    int primary = Integer.parseInt(String.valueOf(((List<?>) r.get(2)).get(1)));
                    Arrays.fill(map, Integer.parseInt(String.valueOf(r.get(0))), Integer.parseInt(String.valueOf(r.get(1))) + 1,
                            primary);
                }
                owners = map;
                return map;
            } catch (IOException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(e);
            }
        }
        throw last;
    }
}
