-- PlaceOrder as the service writes it, in one transaction: read the customer and the 3 products,
-- insert the order, its 3 lines, the OrderPlaced event row and its place in the outbox, and NOTIFY.
-- Set with -D: cust, p1, p2, p3. The order id is derived from a random number, as a client-side UUID.
-- One difference, at no cost to the database: the event row is born published and its outbox row goes
-- to a twin of the outbox (bench.outbox), with a NOTIFY on a channel no relay listens to, so that the
-- service's relay leaves the event alone and the anchor measures the database, not the pipeline behind
-- it, doing the work the service's transaction does (the trigger's insert and NOTIFY, written out).
-- The payload names the order and the customer it was written for, so that a rebuild replays these
-- events as the orders they are.
\set r random(1, 9223372036854775806)
BEGIN;
SELECT id, name, email, version, created_at FROM customers WHERE id = :cust;
SELECT id, sku, name, unit_price, discontinued, version, created_at FROM products WHERE id IN (:p1, :p2, :p3);
INSERT INTO orders (id, customer_id, status, ship_line1, ship_city, ship_postal_code, ship_country, total, version, placed_at, updated_at)
  VALUES (md5(:r::text)::uuid, :cust, 'PLACED', '1 Bench Road', 'Leipzig', '04109', 'DE', 35.00, 1, now(), now());
INSERT INTO order_lines (order_id, line_no, product_id, product_sku, product_name, unit_price, quantity, line_total)
  VALUES (md5(:r::text)::uuid, 0, :p1, 'BENCH-SKU-0', 'Bench item 0', 3.25, 1, 3.25);
INSERT INTO order_lines (order_id, line_no, product_id, product_sku, product_name, unit_price, quantity, line_total)
  VALUES (md5(:r::text)::uuid, 1, :p2, 'BENCH-SKU-1', 'Bench item 1', 4.25, 2, 8.50);
INSERT INTO order_lines (order_id, line_no, product_id, product_sku, product_name, unit_price, quantity, line_total)
  VALUES (md5(:r::text)::uuid, 2, :p3, 'BENCH-SKU-2', 'Bench item 2', 5.25, 3, 15.75);
WITH appended AS (
INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, payload, occurred_at, correlation_id, published_at)
  VALUES (gen_random_uuid(), 'order', md5(:r::text)::uuid, 1, 'OrderPlaced', 1,
    ('{"orderId": "' || md5(:r::text)::uuid || '", "customer": {"customerId": "' || :cust::text || '", "name": "Bench Buyer", "email": "bench@example.com"}, "shippingAddress": {"line1": "1 Bench Road", "city": "Leipzig", "postalCode": "04109", "country": "DE"}, "lines": [{"productId": "00000000-0000-0000-0000-000000000000", "sku": "BENCH-SKU-0", "name": "Bench item 0", "unitPrice": 3.25, "quantity": 1, "lineTotal": 3.25}, {"productId": "00000000-0000-0000-0000-000000000000", "sku": "BENCH-SKU-1", "name": "Bench item 1", "unitPrice": 4.25, "quantity": 2, "lineTotal": 8.50}, {"productId": "00000000-0000-0000-0000-000000000000", "sku": "BENCH-SKU-2", "name": "Bench item 2", "unitPrice": 5.25, "quantity": 3, "lineTotal": 15.75}], "total": 35.00, "placedAt": "2026-11-23T10:00:00.000Z"}')::jsonb,
    now(), 'pgbench-' || md5(:r::text), now())
  RETURNING seq)
INSERT INTO bench.outbox (seq) SELECT seq FROM appended;
SELECT pg_notify('bench_outbox', '');
END;
