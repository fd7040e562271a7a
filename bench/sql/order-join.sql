-- The join the service runs on the replica on a cache miss (OrderQueries.ORDER_WITH_LINES), for a
-- random order: bench.order_ids numbers the orders the run placed from 1 to nids (set with -D).
\set n random(1, :nids)
SELECT o.id, o.status, o.customer_id, c.name AS customer_name, c.email AS customer_email,
       o.ship_line1, o.ship_city, o.ship_postal_code, o.ship_country, o.total, o.version,
       o.placed_at, o.updated_at,
       l.product_id, l.product_sku, l.product_name, l.unit_price, l.quantity, l.line_total
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN order_lines l ON l.order_id = o.id
 WHERE o.id = (SELECT id FROM bench.order_ids WHERE n = :n)
 ORDER BY l.line_no;
