package io.ordersvc.orders.command;

import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventAppender;
import io.ordersvc.orders.event.OrderEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Order command handlers. Each runs inside the command bus's transaction: it reads what the
 * decision needs, decides, and writes the rows that {@code evolve} folds from the decided events
 * together with the events themselves, or refuses and writes nothing. The writes of one command
 * go to the database together (pipelined), not one round trip each.
 */
@ApplicationScoped
class OrderCommands {

    /** The customer and the products an order names, in one round trip. */
    private static final String CUSTOMER_AND_PRODUCTS = """
            SELECT true AS is_customer, id, name, email, NULL::varchar AS sku, NULL::numeric AS unit_price,
                   false AS discontinued
              FROM customers WHERE id = $1
            UNION ALL
            SELECT false, id, name, NULL, sku, unit_price, discontinued
              FROM products WHERE id = ANY($2)""";

    private final EventAppender events;

    OrderCommands(EventAppender events) {
        this.events = events;
    }

    Uni<CommandAnswer> place(SqlConnection tx, PlaceOrder command, String correlationId) {
        UUID orderId = command.orderId() != null ? command.orderId() : UUID.randomUUID();
        Instant now = EventAppender.now();
        UUID[] productIds = command.lines().stream().map(PlaceOrder.Line::productId).distinct().toArray(UUID[]::new);
        // a client-chosen id that is taken fails on the primary key, answered as 409
        return tx.preparedQuery(CUSTOMER_AND_PRODUCTS).execute(Tuple.of(command.customerId(), productIds))
                .map(rows -> OrderPlacement.decide(command, customer(rows), products(rows), orderId, now))
                .flatMap(placed -> {
                    OrderState state = OrderDecider.evolve(OrderState.NONE, placed);
                    return Uni.combine().all().unis(
                                    tx.preparedQuery(OrderRows.INSERT).execute(OrderRows.insert(state)),
                                    tx.preparedQuery(OrderRows.INSERT_LINES).execute(OrderRows.lines(state)),
                                    events.append(tx, OrderEvent.AGGREGATE_TYPE, orderId, state.version(), placed, now,
                                            correlationId))
                            .discardItems()
                            .replaceWith(state.version());
                })
                .map(version -> answer(orderId, version));
    }

    /**
     * A lifecycle command on an existing order. The row lock serializes commands on one order, so
     * versions stay contiguous; {@code expectedVersion} (from If-Match) must be the current one. A
     * caller limited to one customer's orders ({@code limitedTo} not null) finds no other order.
     */
    Uni<CommandAnswer> change(SqlConnection tx, UUID orderId, UUID limitedTo, Long expectedVersion, OrderCommand command,
            String correlationId) {
        return tx.preparedQuery(OrderRows.LOCK).execute(Tuple.of(orderId))
                .map(rows -> OrderRows.state(rows)
                        .filter(state -> limitedTo == null || limitedTo.equals(state.customerId()))
                        .orElseThrow(() -> Rejected.notFound("order " + orderId)))
                .invoke(state -> Rejected.requireVersion(expectedVersion, state.version(), "the order"))
                .flatMap(state -> apply(tx, state, OrderDecider.decide(command, state, EventAppender.now()), correlationId))
                .map(version -> answer(orderId, version));
    }

    /** The row follows the state folded from the decided events, written with them. */
    private Uni<Long> apply(SqlConnection tx, OrderState state, List<OrderEvent> decided, String correlationId) {
        if (decided.isEmpty()) {
            return Uni.createFrom().item(state.version());
        }
        List<Uni<?>> writes = new ArrayList<>();
        OrderState s = state;
        for (OrderEvent event : decided) {
            s = OrderDecider.evolve(s, event);
            writes.add(events.append(tx, OrderEvent.AGGREGATE_TYPE, s.id(), s.version(), event, event.at(), correlationId));
        }
        writes.add(tx.preparedQuery(OrderRows.UPDATE).execute(OrderRows.update(s)));
        long version = s.version();
        return Uni.combine().all().unis(writes).discardItems().replaceWith(version);
    }

    private static CommandAnswer answer(UUID orderId, long version) {
        return CommandAnswer.accepted("orderId", orderId, version, "/orders/" + orderId);
    }


    private static Optional<OrderPlacement.Customer> customer(RowSet<Row> rows) {
        for (Row r : rows) {
            if (r.getBoolean("is_customer")) {
                return Optional.of(new OrderPlacement.Customer(r.getUUID("id"), r.getString("name"), r.getString("email")));
            }
        }
        return Optional.empty();
    }

    private static Map<UUID, OrderPlacement.Product> products(RowSet<Row> rows) {
        Map<UUID, OrderPlacement.Product> products = new HashMap<>();
        for (Row r : rows) {
            if (!r.getBoolean("is_customer")) {
                products.put(r.getUUID("id"), new OrderPlacement.Product(r.getUUID("id"), r.getString("sku"),
                        r.getString("name"), r.getBigDecimal("unit_price"), r.getBoolean("discontinued")));
            }
        }
        return products;
    }
}
