-- The write model: normalized state tables, and one append-only event table that is both the
-- history of every aggregate and the outbox the relay publishes from.

CREATE TABLE customers (
    id         uuid PRIMARY KEY,
    name       varchar(200) NOT NULL,
    email      varchar(254) NOT NULL,
    version    bigint       NOT NULL,
    created_at timestamptz  NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

CREATE TABLE products (
    id           uuid PRIMARY KEY,
    sku          varchar(64)   NOT NULL UNIQUE,
    name         varchar(200)  NOT NULL,
    unit_price   numeric(12,2) NOT NULL CHECK (unit_price > 0),
    discontinued boolean       NOT NULL DEFAULT false,
    version      bigint        NOT NULL,
    created_at   timestamptz   NOT NULL
);

CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    customer_id      uuid          NOT NULL REFERENCES customers (id),
    status           varchar(16)   NOT NULL,
    ship_line1       varchar(200)  NOT NULL,
    ship_city        varchar(100)  NOT NULL,
    ship_postal_code varchar(20)   NOT NULL,
    ship_country     varchar(2)    NOT NULL,
    total            numeric(14,2) NOT NULL,
    version          bigint        NOT NULL,
    placed_at        timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL
);
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at DESC);

-- product name, sku and price are copied at order time: later catalog changes leave orders untouched
CREATE TABLE order_lines (
    order_id     uuid          NOT NULL REFERENCES orders (id),
    line_no      int           NOT NULL,
    product_id   uuid          NOT NULL REFERENCES products (id),
    product_sku  varchar(64)   NOT NULL,
    product_name varchar(200)  NOT NULL,
    unit_price   numeric(12,2) NOT NULL,
    quantity     int           NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    line_total   numeric(14,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE events (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    aggregate_type varchar(32) NOT NULL,
    aggregate_id   uuid        NOT NULL,
    version        bigint      NOT NULL,
    event_type     varchar(64) NOT NULL,
    schema_version int         NOT NULL,
    payload        jsonb       NOT NULL,
    occurred_at    timestamptz NOT NULL,
    correlation_id varchar(64) NOT NULL,
    published_at   timestamptz,
    UNIQUE (aggregate_id, version)
);
-- the relay's work queue: only unpublished events, in commit-independent sequence order
CREATE INDEX events_unpublished ON events (seq) WHERE published_at IS NULL;

-- history is immutable: only the relay's published_at mark may change, once
CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'events are append-only';
    END IF;
    IF (NEW.seq, NEW.event_id, NEW.aggregate_type, NEW.aggregate_id, NEW.version, NEW.event_type,
        NEW.schema_version, NEW.payload, NEW.occurred_at, NEW.correlation_id)
       IS DISTINCT FROM
       (OLD.seq, OLD.event_id, OLD.aggregate_type, OLD.aggregate_id, OLD.version, OLD.event_type,
        OLD.schema_version, OLD.payload, OLD.occurred_at, OLD.correlation_id)
       OR OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'events are append-only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

-- wakes the relay when a transaction that appended events commits
CREATE FUNCTION events_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_notify_outbox();
