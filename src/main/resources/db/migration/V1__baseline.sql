-- Baseline: the schema's own marker. The order domain's tables arrive in later migrations.
CREATE TABLE service_info (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO service_info (key, value) VALUES ('schema', 'orders');
