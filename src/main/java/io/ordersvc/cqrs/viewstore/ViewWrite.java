package io.ordersvc.cqrs.viewstore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version-guarded write of one view hash: the whole view, replacing what is there, or the fields
 * one event changes, applied only on top of the version before it.
 *
 * @param key    the view's name, without its generation
 * @param ttl    how long the view may stay cached before a read rebuilds it; zero for always
 */
public record ViewWrite(String key, long version, boolean replace, Map<String, String> fields, Duration ttl) {

    /** The hash field that holds the version a view reflects. */
    public static final String VERSION = "version";

    public static ViewWrite replace(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, true, Map.copyOf(fields), Duration.ZERO);
    }

    public static ViewWrite patch(String key, long version, Map<String, String> fields) {
        return new ViewWrite(key, version, false, Map.copyOf(fields), Duration.ZERO);
    }

    public ViewWrite expiringAfter(Duration ttl) {
        return new ViewWrite(key, version, replace, fields, ttl);
    }

    /** The hash that writes leave when applied in order to no view at all. */
    public static Map<String, String> fold(List<ViewWrite> writes) {
        Map<String, String> hash = Map.of();
        for (ViewWrite write : writes) {
            hash = write.applyTo(hash);
        }
        return hash;
    }

    /**
     * The hash after this write, given the one before (empty for none), by the rules the view store
     * applies: how a view is folded from its events away from Redis. A patch of no view, one that
     * does not follow the version before it, or an older version leaves the hash as it was.
     */
    public Map<String, String> applyTo(Map<String, String> hash) {
        if (!replace && !hash.containsKey(VERSION)) {
            return hash;
        }
        long current = hash.containsKey(VERSION) ? Long.parseLong(hash.get(VERSION)) : 0;
        if (current >= version || !replace && current + 1 != version) {
            return hash;
        }
        Map<String, String> after = replace ? new LinkedHashMap<>() : new LinkedHashMap<>(hash);
        after.putAll(fields);
        after.put(VERSION, Long.toString(version));
        return after;
    }
}
