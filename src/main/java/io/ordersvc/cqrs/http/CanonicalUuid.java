package io.ordersvc.cqrs.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An id a client sends, in a path or a body, is a UUID written the one way: 8-4-4-4-12 hexadecimal
 * digits. {@code UUID.fromString} also takes shorter groups ({@code e06a8d2-…} named the order
 * {@code 0e06a8d2-…}), and Jackson trims what surrounds the text (a NUL before an id was dropped):
 * neither is an id this service handed out. In a path, such an id is a 404; in a body, a 400
 * naming the field.
 */
@Provider
public class CanonicalUuid implements ParamConverterProvider {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public static UUID parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a UUID such as 3f2b8c1e-7d4a-4e0b-9c55-1a2b3c4d5e6f");
        }
        return UUID.fromString(text);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == UUID.class ? (ParamConverter<T>) new PathOrQuery() : null;
    }

    private static final class PathOrQuery implements ParamConverter<UUID> {

        @Override
        public UUID fromString(String value) {
            return parse(value);
        }

        @Override
        public String toString(UUID value) {
            return value.toString();
        }
    }

    /** Ids in request bodies. */
    static final class Deserializer extends StdScalarDeserializer<UUID> {

        Deserializer() {
            super(UUID.class);
        }

        @Override
        public UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (UUID) ctxt.handleUnexpectedToken(UUID.class, p);
            }
            String text = p.getText();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, UUID.class, e.getMessage());
            }
        }
    }
}
