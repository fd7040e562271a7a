-- Each event keeps the W3C traceparent of the request that caused it (null for events stored before),
-- so that its publishing, projection and delivery join that request's trace. History stays immutable:
-- the append-only guard now covers the new column too.
ALTER TABLE events ADD COLUMN trace_parent varchar(55);

CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'events are append-only';
    END IF;
    IF (NEW.seq, NEW.event_id, NEW.aggregate_type, NEW.aggregate_id, NEW.version, NEW.event_type,
        NEW.schema_version, NEW.payload, NEW.occurred_at, NEW.correlation_id, NEW.trace_parent)
       IS DISTINCT FROM
       (OLD.seq, OLD.event_id, OLD.aggregate_type, OLD.aggregate_id, OLD.version, OLD.event_type,
        OLD.schema_version, OLD.payload, OLD.occurred_at, OLD.correlation_id, OLD.trace_parent)
       OR OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'events are append-only';
    END IF;
    RETURN NEW;
END $$;
