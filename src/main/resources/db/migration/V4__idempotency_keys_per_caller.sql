-- An idempotency key belongs to the caller that sent it: two callers who happen to choose the same
-- key neither share nor learn each other's answers. Keys stored before callers were known keep ''.
ALTER TABLE idempotency_keys ADD COLUMN caller varchar(255) NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (caller, key);
