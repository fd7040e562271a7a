package io.ordersvc.cqrs.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;

/**
 * The JSON of HTTP bodies: the application's mapper ({@link StrictJson}) and, for what clients
 * send, four rules more: every string is plain text ({@link PlainText}), every id a canonical UUID
 * ({@link CanonicalUuid}), nothing may follow the value ({@code {...}x} is not a command), and no
 * key comes twice (which of two reasons would be meant?). Events and stored answers are read with the application's mapper alone, so that what
 * was written before these rules stays readable.
 */
@Provider
public class WebJson implements ContextResolver<ObjectMapper> {

    private final ObjectMapper mapper;

    WebJson(ObjectMapper application) {
        this.mapper = application.copy()
                .registerModule(new SimpleModule("client-input")
                        .addDeserializer(String.class, new PlainText.Deserializer())
                        .addDeserializer(UUID.class, new CanonicalUuid.Deserializer()))
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature(), true);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }
}
