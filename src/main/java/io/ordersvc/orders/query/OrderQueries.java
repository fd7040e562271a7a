package io.ordersvc.orders.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.Upcasting;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.ordersvc.orders.event.ShippingAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Order queries: the Redis view first; on a miss, one join on the read replica builds the view,
 * which is put back in Redis (version-guarded, so it never overwrites a newer projection).
 */
@ApplicationScoped
public class OrderQueries {

    public enum Source {
        CACHE, REPLICA
    }

    public record Answer(OrderView view, Source source) {
    }

    private static final String ORDER_WITH_LINES = """
            SELECT o.id, o.status, o.customer_id, c.name AS customer_name, c.email AS customer_email,
                   o.ship_line1, o.ship_city, o.ship_postal_code, o.ship_country, o.total, o.version,
                   o.placed_at, o.updated_at,
                   l.product_id, l.product_sku, l.product_name, l.unit_price, l.quantity, l.line_total
              FROM orders o
              JOIN customers c ON c.id = o.customer_id
              JOIN order_lines l ON l.order_id = o.id
             WHERE o.id = $1
             ORDER BY l.line_no""";

    private static final String HISTORY = """
            SELECT event_id, version, event_type, schema_version, payload::text AS payload, occurred_at, correlation_id
              FROM events
             WHERE aggregate_type = 'order' AND aggregate_id = $1
             ORDER BY version""";

    /** One entry of an order's audit trail; the payload in the current schema of its type. */
    public record HistoryEntry(String type, long version, Instant occurredAt, String correlationId, JsonNode payload) {
    }

    private final ViewStore views;
    private final Pool replica;
    private final ObjectMapper json;
    private final Upcasting upcasting;

    OrderQueries(ViewStore views, @ReactiveDataSource("replica") Pool replica, ObjectMapper json, Upcasting upcasting) {
        this.views = views;
        this.replica = replica;
        this.json = json;
        this.upcasting = upcasting;
    }

    /** The order's events in version order, read from the event log on the replica. */
    public Uni<List<HistoryEntry>> history(UUID orderId) {
        return replica.preparedQuery(HISTORY).execute(Tuple.of(orderId))
                .map(rows -> rows.stream().map(r -> historyEntry(orderId, r)).toList());
    }

    private HistoryEntry historyEntry(UUID orderId, Row r) {
        EventEnvelope envelope = new EventEnvelope(r.getUUID("event_id"), "order", orderId, r.getLong("version"),
                r.getString("event_type"), r.getInteger("schema_version"), r.getString("payload"),
                r.getOffsetDateTime("occurred_at").toInstant(), r.getString("correlation_id"));
        return new HistoryEntry(envelope.eventType(), envelope.version(), envelope.occurredAt(),
                envelope.correlationId(), upcasting.toCurrent(envelope));
    }

    public Uni<Optional<Answer>> orderDetails(UUID orderId) {
        return views.read(OrderView.key(orderId))
                .flatMap(hash -> hash.isEmpty()
                        ? fromReplica(orderId)
                        : Uni.createFrom().item(Optional.of(new Answer(OrderView.fromHash(hash, json), Source.CACHE))));
    }

    private Uni<Optional<Answer>> fromReplica(UUID orderId) {
        return replica.preparedQuery(ORDER_WITH_LINES).execute(Tuple.of(orderId))
                .map(OrderQueries::toView)
                .call(view -> view.map(this::cache).orElse(Uni.createFrom().voidItem()))
                .map(view -> view.map(v -> new Answer(v, Source.REPLICA)));
    }

    private Uni<Void> cache(OrderView view) {
        return views.write(ViewWrite.snapshot(OrderView.key(view.orderId()), view.version(), view.toHash(json)))
                .replaceWithVoid();
    }

    private static Optional<OrderView> toView(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        List<OrderView.Line> lines = new ArrayList<>();
        Row first = null;
        for (Row r : rows) {
            first = first == null ? r : first;
            lines.add(new OrderView.Line(r.getUUID("product_id"), r.getString("product_sku"),
                    r.getString("product_name"), r.getBigDecimal("unit_price"), r.getInteger("quantity"),
                    r.getBigDecimal("line_total")));
        }
        return Optional.of(new OrderView(
                first.getUUID("id"),
                first.getString("status"),
                new OrderView.Customer(first.getUUID("customer_id"), first.getString("customer_name"),
                        first.getString("customer_email")),
                new ShippingAddress(first.getString("ship_line1"), first.getString("ship_city"),
                        first.getString("ship_postal_code"), first.getString("ship_country")),
                List.copyOf(lines),
                first.getBigDecimal("total"),
                first.getLong("version"),
                first.getOffsetDateTime("placed_at").toInstant(),
                first.getOffsetDateTime("updated_at").toInstant()));
    }
}
