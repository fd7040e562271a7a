package io.ordersvc.orders.command;

import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An order's rows in the write model, and the one mapping between them and {@link OrderState}. */
final class OrderRows {

    static final String INSERT = """
            INSERT INTO orders (id, customer_id, status, ship_line1, ship_city, ship_postal_code, ship_country, total,
                                version, placed_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""";
    /* one statement for every line: arrays as text, typed by the columns they fill */
    static final String INSERT_LINES = """
            INSERT INTO order_lines (order_id, line_no, product_id, product_sku, product_name, unit_price, quantity,
                                     line_total)
            SELECT $1, l.line_no, l.product_id, l.sku, l.name, l.unit_price::numeric, l.quantity, l.line_total::numeric
              FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
                   AS l(line_no, product_id, sku, name, unit_price, quantity, line_total)""";
    /** The order, locked until the transaction ends, so that commands on one order run one after another. */
    static final String LOCK = """
            SELECT id, customer_id, status, ship_line1, ship_city, ship_postal_code, ship_country, total, version,
                   placed_at, updated_at
              FROM orders WHERE id = $1 FOR UPDATE""";
    static final String UPDATE = """
            UPDATE orders SET status = $2, ship_line1 = $3, ship_city = $4, ship_postal_code = $5, ship_country = $6,
                              version = $7, updated_at = $8
             WHERE id = $1""";

    private OrderRows() {
    }

    static Tuple insert(OrderState s) {
        ShippingAddress a = s.shippingAddress();
        return Tuple.from(new Object[] {s.id(), s.customerId(), s.status().name(), a.line1(), a.city(), a.postalCode(),
                a.country(), s.total(), s.version(), utc(s.placedAt()), utc(s.updatedAt())});
    }

    static Tuple lines(OrderState s) {
        List<OrderPlaced.Line> lines = s.lines();
        int n = lines.size();
        Integer[] lineNo = new Integer[n];
        UUID[] product = new UUID[n];
        String[] sku = new String[n];
        String[] name = new String[n];
        String[] unitPrice = new String[n];
        Integer[] quantity = new Integer[n];
        String[] lineTotal = new String[n];
        for (int i = 0; i < n; i++) {
            OrderPlaced.Line l = lines.get(i);
            lineNo[i] = i;
            product[i] = l.productId();
            sku[i] = l.sku();
            name[i] = l.productName();
            unitPrice[i] = l.unitPrice().toPlainString();
            quantity[i] = l.quantity();
            lineTotal[i] = l.lineTotal().toPlainString();
        }
        return Tuple.from(new Object[] {s.id(), lineNo, product, sku, name, unitPrice, quantity, lineTotal});
    }

    static Tuple update(OrderState s) {
        ShippingAddress a = s.shippingAddress();
        return Tuple.from(new Object[] {s.id(), s.status().name(), a.line1(), a.city(), a.postalCode(), a.country(),
                s.version(), utc(s.updatedAt())});
    }

    /** What the decisions need; the lines stay out, since no lifecycle decision reads them. */
    static Optional<OrderState> state(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new OrderState(r.getUUID("id"), r.getUUID("customer_id"), OrderStatus.valueOf(r.getString("status")),
                new ShippingAddress(r.getString("ship_line1"), r.getString("ship_city"), r.getString("ship_postal_code"),
                        r.getString("ship_country")),
                List.of(), r.getBigDecimal("total"), r.getLong("version"), r.getOffsetDateTime("placed_at").toInstant(),
                r.getOffsetDateTime("updated_at").toInstant()));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
