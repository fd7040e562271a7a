-- The relay's work queue, apart from the event log: an event that waits for Kafka is a row here, its
-- sequence number, deleted once Kafka acknowledged the event. Marking published_at instead updated
-- every event's row, through the partial index of unpublished ones, so that no mark was a HOT update:
-- the log doubled in size with every publish and the index bloated (docs/benchmarks.md, "The cost
-- ledger"). The log is now written once and never updated; this table stays as small as the backlog.
-- published_at keeps its meaning for events stored as already published (imports, the benchmark's
-- fixtures): those are never queued.
CREATE TABLE outbox (
    seq bigint PRIMARY KEY
);
INSERT INTO outbox (seq) SELECT seq FROM events WHERE published_at IS NULL;
DROP INDEX events_unpublished;

-- one call per statement that appended events: queues the unpublished ones, and wakes the relay when
-- there are any once the transaction commits
DROP TRIGGER events_notify ON events;
DROP FUNCTION events_notify_outbox();
CREATE FUNCTION events_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (seq) SELECT seq FROM appended WHERE published_at IS NULL;
    IF FOUND THEN
        PERFORM pg_notify('outbox', '');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER events_enqueue AFTER INSERT ON events REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION events_enqueue();

-- the append-only guard still lets a row take its published_at mark once: a relay of the version before,
-- still leading while a rolling update replaces it, marks what it publishes and moves on (what it sends
-- twice, the version-guarded projectors absorb). Rolling back below this version publishes again every
-- event appended since, as the relay of then finds them unmarked.
