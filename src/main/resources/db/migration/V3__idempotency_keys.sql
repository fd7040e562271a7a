-- Idempotency keys: written in the same transaction as the command's effect, with the answer to
-- repeat to a retry. A key is kept until expires_at (24 h by default), then may be used again.
CREATE TABLE idempotency_keys (
    key          varchar(200) PRIMARY KEY,
    request_hash char(64)     NOT NULL,
    status       int          NOT NULL,
    location     varchar(500),
    version      bigint       NOT NULL,
    body         text         NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    expires_at   timestamptz  NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
