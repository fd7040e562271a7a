package io.ordersvc.cqrs.viewstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * View changes cut into the parts the view script applies ({@code lua/view-slot.lua}), grouped into
 * calls: on a Redis Cluster one call per hash slot, since a script may touch one slot only; on a
 * single Redis one call for all. Every key a part writes carries a hash tag ({@code {…}}, the first
 * braces of its name) for what it belongs to (an order, a customer, a counter stripe), and the parts
 * of one tag go to one call, in the changes' order, so that each slot sees its own parts in order.
 * Numbers go as strings (Lua's are doubles).
 */
final class SlotCalls {

    /**
     * One script call: {@code routingKey} names its slot (a cluster client sends the call to the node
     * that holds it), {@code parts} is the script's JSON array, and {@code viewsOf} the index, among
     * the changes, of each change whose view part it holds, in the order of the outcomes it answers.
     */
    record Call(String routingKey, String parts, List<Integer> viewsOf) {
    }

    private static final String SINGLE = "views";

    private final JsonFactory json;
    private final boolean bySlot;
    private final Map<String, Duration> ttlByKind;
    private final Duration ttl;

    SlotCalls(JsonFactory json, boolean bySlot, ChangeStreamConfig retention) {
        this.json = json;
        this.bySlot = bySlot;
        this.ttlByKind = Map.copyOf(retention.ttlByKind());
        this.ttl = retention.ttl();
    }

    List<Call> of(List<ViewChange> changes) {
        Map<String, Group> groups = new LinkedHashMap<>();
        try {
            for (int i = 0; i < changes.size(); i++) {
                ViewChange c = changes.get(i);
                Group g = group(groups, c.view().key());
                g.viewsOf.add(i);
                view(g.out, c.view());
                for (IndexEntry entry : c.indexes()) {
                    index(group(groups, entry.key()).out, entry);
                }
                if (c.counting() != null) {
                    counting(group(groups, c.counting().countedKey()).out, c.counting());
                }
                if (c.announcement() != null) {
                    announce(groups, c.announcement());
                }
            }
            List<Call> calls = new ArrayList<>(groups.size());
            for (Map.Entry<String, Group> g : groups.entrySet()) {
                calls.add(g.getValue().call(g.getKey()));
            }
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hash tag of a key: what lies between its first braces. Every key the views write has one. */
    static String tag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        if (close <= open + 1) {
            throw new IllegalArgumentException("the key " + key + " names no hash tag ({…}): every key of the read"
                    + " models needs one, so that each script call touches one hash slot");
        }
        return key.substring(open + 1, close);
    }

    /** How long a stream of its kind (the word after {@code changes:}) lives after its last announcement. */
    Duration ttlOf(String stream) {
        int from = ChangeStreamConfig.PREFIX.length();
        int end = from;
        while (end < stream.length() && stream.charAt(end) != ':' && stream.charAt(end) != '{') {
            end++;
        }
        return ttlByKind.getOrDefault(stream.substring(from, end), ttl);
    }

    private Group group(Map<String, Group> groups, String key) throws IOException {
        String tag = tag(key);
        String slot = bySlot ? tag : SINGLE;
        Group g = groups.get(slot);
        if (g == null) {
            g = new Group(json);
            groups.put(slot, g);
        }
        return g;
    }

    private static void view(JsonGenerator g, ViewWrite v) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("v");
        g.writeStringField("key", v.key());
        g.writeStringField("version", Long.toString(v.version()));
        g.writeBooleanField("replace", v.replace());
        g.writeStringField("ttl", Long.toString(v.ttl().toMillis()));
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, String> f : v.fields().entrySet()) {
            g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void index(JsonGenerator g, IndexEntry i) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("x");
        g.writeStringField("key", i.key());
        g.writeStringField("score", Long.toString(i.score()));
        g.writeStringField("member", i.member());
        if (i.version() > 0) {
            g.writeStringField("version", Long.toString(i.version()));
        }
        if (i.removed()) {
            g.writeBooleanField("rm", true);
        }
        if (i.kept() > 0) {
            g.writeStringField("kept", Integer.toString(i.kept()));
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The counting, its moves summed per hash and field: one read and one write per hash in the script. */
    private static void counting(JsonGenerator g, Counting c) throws IOException {
        String tag = "{" + c.slot() + "}";
        Map<String, Map<String, Long>> byHash = new TreeMap<>();
        for (Counting.Move m : c.moves()) {
            if (!m.hash().contains(tag)) {
                throw new IllegalArgumentException("the counter " + m.hash() + " is not in the slot of its counting, " + tag);
            }
            byHash.computeIfAbsent(m.hash(), h -> new LinkedHashMap<>()).merge(m.field(), m.delta(), Long::sum);
        }
        g.writeStartObject();
        g.writeObjectFieldStart("c");
        g.writeStringField("k", c.countedKey());
        g.writeStringField("version", Long.toString(c.version()));
        g.writeArrayFieldStart("hashes");
        for (Map.Entry<String, Map<String, Long>> h : byHash.entrySet()) {
            g.writeStartObject();
            g.writeStringField("hash", h.getKey());
            g.writeArrayFieldStart("fields");
            for (String field : h.getValue().keySet()) {
                g.writeString(field);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("deltas");
            for (long delta : h.getValue().values()) {
                g.writeString(Long.toString(delta));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * On the subject's own stream, positioned by its version; on each other stream, positioned by
     * that stream's sequence, once per subject (the own stream's tag) and version.
     */
    private void announce(Map<String, Group> groups, Announcement a) throws IOException {
        String message = a.trace() == null ? a.event() + "\n" + a.data() : a.event() + "\n" + a.data() + "\n" + a.trace();
        JsonGenerator own = group(groups, a.stream()).out;
        own.writeStartObject();
        own.writeObjectFieldStart("a");
        own.writeStringField("stream", a.stream());
        own.writeStringField("p", Long.toString(a.position()));
        own.writeStringField("m", message);
        own.writeStringField("t", Long.toString(ttlOf(a.stream()).toMillis()));
        own.writeEndObject();
        own.writeEndObject();
        String subject = tag(a.stream());
        for (String other : a.alsoOn()) {
            JsonGenerator g = group(groups, other).out;
            g.writeStartObject();
            g.writeObjectFieldStart("s");
            g.writeStringField("stream", other);
            g.writeStringField("subject", subject);
            g.writeStringField("version", Long.toString(a.position()));
            g.writeStringField("m", message);
            g.writeStringField("t", Long.toString(ttlOf(other).toMillis()));
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** The parts of one call, written as they come. */
    private static final class Group {
        final SegmentedStringWriter text;
        final JsonGenerator out;
        final List<Integer> viewsOf = new ArrayList<>();

        Group(JsonFactory json) throws IOException {
            this.text = new SegmentedStringWriter(json._getBufferRecycler());
            this.out = json.createGenerator(text);
            out.writeStartArray();
        }

        Call call(String slot) throws IOException {
            out.writeEndArray();
            out.close();
            return new Call("{" + slot + "}", text.getAndClear(), List.copyOf(viewsOf));
        }
    }
}
