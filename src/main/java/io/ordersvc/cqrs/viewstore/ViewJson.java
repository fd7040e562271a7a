package io.ordersvc.cqrs.viewstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON that views and announcements hold (a view's nested parts, a change's data): plain
 * records, lists and values, so one mapper with no framework configuration serves every projection,
 * a pure function that has no bean to ask for one. Text that is not what it should be is an
 * {@link IllegalArgumentException}.
 */
public final class ViewJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ViewJson() {
    }

    public static String write(Object value) {
        return done(() -> JSON.writeValueAsString(value));
    }

    public static <T> T read(String json, Class<T> type) {
        return done(() -> JSON.readValue(json, type));
    }

    public static <T> T read(String json, TypeReference<T> type) {
        return done(() -> JSON.readValue(json, type));
    }

    public static JsonNode tree(String json) {
        return done(() -> JSON.readTree(json));
    }

    private interface Step<T> {
        T run() throws JsonProcessingException;
    }

    private static <T> T done(Step<T> step) {
        try {
            return step.run();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
