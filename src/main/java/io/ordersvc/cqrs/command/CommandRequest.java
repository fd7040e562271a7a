package io.ordersvc.cqrs.command;

/**
 * A command as it arrived: what was asked (method, path, the parsed command) and the caller's
 * headers that shape its handling.
 *
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param expectedVersion the version from {@code If-Match}, or null
 * @param caller the subject of the caller's token: its idempotency keys are its own
 */
public record CommandRequest(String method, String path, Object command, String idempotencyKey,
        Long expectedVersion, String correlationId, String caller) {
}
