package io.ordersvc.cqrs.viewstore;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from {@code src/main/resources/lua}, made of one or more files (shared functions
 * first), run by its SHA and sent whole only when Redis does not have it yet.
 */
public final class LuaScript {

    private final String text;
    private final String sha;

    private LuaScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** The files, in order, as one script. */
    public static LuaScript of(String... files) {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            text.append(read(file)).append('\n');
        }
        return new LuaScript(text.toString());
    }

    /** Runs the script with {@code arguments}: the number of keys, the keys, then the other arguments. */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> arguments) {
        return redis.execute("EVALSHA", withHead(sha, arguments))
                .onFailure(LuaScript::notLoaded).recoverWithUni(() -> redis.execute("EVAL", withHead(text, arguments)));
    }

    private static String[] withHead(String head, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = head;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static boolean notLoaded(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    private static String read(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no script lua/" + file);
            }
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
