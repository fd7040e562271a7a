package io.ordersvc.cqrs.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.http.IdempotencyKeyHeader;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs every command: one transaction for its effect, its events and, when the caller sent an
 * {@code Idempotency-Key}, the key with the answer. A retry with the same key and the same request
 * gets the original answer and has no second effect; the same key with another request is a 422.
 * Concurrent retries queue on the key's row, so exactly one of them acts. A key is the caller's own:
 * another caller's request with the same key is another request.
 */
@ApplicationScoped
public class CommandBus {

    private static final String CLAIM = """
            INSERT INTO idempotency_keys (caller, key, request_hash, status, version, body, expires_at)
            VALUES ($4, $1, $2, 0, 0, '', $3)
            ON CONFLICT (caller, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = 0, version = 0,
                   body = '', location = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
             WHERE idempotency_keys.expires_at < now()""";
    private static final String RECORD = """
            UPDATE idempotency_keys SET status = $2, location = $3, version = $4, body = $5
             WHERE caller = $6 AND key = $1""";

    private final ObjectMapper json;
    private final Pool primary;
    private final CommandConfig config;

    CommandBus(ObjectMapper json, Pool primary, CommandConfig config) {
        this.json = json;
        this.primary = primary;
        this.config = config;
    }

    /**
     * Runs the command and answers the HTTP response a command endpoint returns. The handler gets
     * the transaction's connection: what it writes there commits with the idempotency key, or not at all.
     */
    public Uni<Response> respond(CommandRequest request, Function<SqlConnection, Uni<CommandAnswer>> handler) {
        return execute(request, handler).map(CommandAnswer::toResponse);
    }

    public Uni<CommandAnswer> execute(CommandRequest request, Function<SqlConnection, Uni<CommandAnswer>> handler) {
        if (request.idempotencyKey() == null) {
            return toCompletion(primary.withTransaction(handler));
        }
        String key = request.idempotencyKey();
        String caller = request.caller();
        String hash = hash(request);
        return toCompletion(primary.withTransaction(tx -> claim(tx, caller, key, hash)
                        .flatMap(claimed -> handler.apply(tx))
                        .call(answer -> record(tx, caller, key, answer))))
                .onFailure(KeyTaken.class).recoverWithUni(() -> replay(caller, key, hash));
    }

    /**
     * A command that started runs to its commit or rollback even when the caller goes away: a
     * client that gave up must not cancel a transaction half-way through its statements. The caller
     * waits for it up to the command timeout, then is answered 503 (a primary that hangs); it can
     * retry with its Idempotency-Key to learn the outcome.
     */
    private <T> Uni<T> toCompletion(Uni<T> transaction) {
        return transaction.memoize().indefinitely().ifNoItem().after(config.timeout()).fail();
    }

    /** Inserts the key, waiting behind a concurrent holder of it; fails when it is taken and live. */
    private Uni<Void> claim(SqlConnection tx, String caller, String key, String hash) {
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(config.idempotencyRetention());
        return tx.preparedQuery(CLAIM).execute(Tuple.of(key, hash, expires, caller))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new KeyTaken();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> record(SqlConnection tx, String caller, String key, CommandAnswer answer) {
        return tx.preparedQuery(RECORD)
                .execute(Tuple.tuple().addValue(key).addValue(answer.status()).addValue(answer.location())
                        .addValue(answer.version()).addValue(write(answer.body())).addValue(caller))
                .replaceWithVoid();
    }

    /** The stored answer, read outside the failed transaction. */
    private Uni<CommandAnswer> replay(String caller, String key, String hash) {
        return primary.preparedQuery(
                        "SELECT request_hash, status, location, version, body FROM idempotency_keys WHERE caller = $1 AND key = $2")
                .execute(Tuple.of(caller, key))
                .map(rows -> stored(rows.iterator().next(), key, hash));
    }

    private CommandAnswer stored(Row row, String key, String hash) {
        if (!hash.equals(row.getString("request_hash"))) {
            throw Rejected.unprocessable(IdempotencyKeyHeader.NAME, "key " + key + " was used for a different request");
        }
        return new CommandAnswer(row.getInteger("status"), row.getString("location"), row.getLong("version"),
                read(row.getString("body")));
    }

    private String hash(CommandRequest request) {
        try {
            String canonical = request.method() + " " + request.path() + "\n" + json.writeValueAsString(request.command());
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String body) {
        try {
            return json.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key is held by an earlier request whose answer stands; it rolls this attempt back. */
    static final class KeyTaken extends RuntimeException {

        KeyTaken() {
            super("idempotency key taken", null, false, false);
        }
    }
}
