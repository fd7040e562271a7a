package io.ordersvc.cqrs.view;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Read models as Redis hashes, each written atomically and only forward in version. */
@ApplicationScoped
public class ViewStore {

    private static final String SCRIPT = loadScript();
    private static final String SHA = sha1(SCRIPT);

    private final ReactiveRedisDataSource redis;

    ViewStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public Uni<Map<String, String>> read(String key) {
        return redis.hash(String.class).hgetall(key);
    }

    public Uni<WriteOutcome> write(ViewWrite w) {
        List<String> args = arguments(w);
        return redis.execute("EVALSHA", withHead(SHA, args))
                .onFailure(ViewStore::scriptNotLoaded).recoverWithUni(() -> redis.execute("EVAL", withHead(SCRIPT, args)))
                .map(Response::toLong)
                .map(WriteOutcome::of);
    }

    private static List<String> arguments(ViewWrite w) {
        List<String> a = new ArrayList<>();
        a.add(String.valueOf(1 + w.indexes().size()));
        a.add(w.key());
        w.indexes().forEach(i -> a.add(i.key()));
        a.add(String.valueOf(w.version()));
        a.add(w.snapshot() ? "snapshot" : "patch");
        a.add(w.channel());
        a.add(w.notification());
        a.add(String.valueOf(w.ttl().toMillis()));
        a.add(String.valueOf(w.fields().size()));
        w.fields().forEach((field, value) -> {
            a.add(field);
            a.add(value);
        });
        w.indexes().forEach(i -> {
            a.add(String.valueOf(i.score()));
            a.add(i.member());
        });
        return a;
    }

    private static String[] withHead(String head, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = head;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static boolean scriptNotLoaded(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    private static String loadScript() {
        try (InputStream in = ViewStore.class.getResourceAsStream("/lua/versioned-view-write.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
