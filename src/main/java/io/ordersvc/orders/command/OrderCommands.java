package io.ordersvc.orders.command;

import io.ordersvc.catalog.command.ProductEntity;
import io.ordersvc.customers.command.CustomerEntity;
import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.orders.event.OrderEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Order command handlers. Each runs inside the command bus's transaction: it changes the state
 * tables and appends the events, or refuses and changes nothing.
 */
@ApplicationScoped
class OrderCommands {

    private final EventLog events;

    OrderCommands(EventLog events) {
        this.events = events;
    }

    Uni<CommandAnswer> place(PlaceOrder command, String correlationId) {
        UUID orderId = command.orderId() != null ? command.orderId() : UUID.randomUUID();
        Instant now = now();
        // a client-chosen id that is taken fails on the primary key, answered as 409
        return customer(command.customerId())
                .flatMap(customer -> products(command).map(products ->
                        OrderPlacement.decide(command, customer, products, orderId, now)))
                .call(placed -> OrderEntity.of(OrderDecider.evolve(OrderState.NONE, placed)).persist())
                .call(placed -> events.append(OrderEvent.AGGREGATE_TYPE, orderId, 1, placed, now, correlationId))
                .map(placed -> answer(orderId, 1));
    }

    /**
     * A lifecycle command on an existing order. The row lock serializes commands on one order, so
     * versions stay contiguous; {@code expectedVersion} (from If-Match) must be the current one.
     */
    Uni<CommandAnswer> change(UUID orderId, Long expectedVersion, OrderCommand command, String correlationId) {
        return OrderEntity.<OrderEntity>findById(orderId, LockModeType.PESSIMISTIC_WRITE)
                .map(order -> existing(order, orderId))
                .invoke(order -> requireVersion(expectedVersion, order.version))
                .flatMap(order -> apply(order, OrderDecider.decide(command, order.state(), now()), correlationId))
                .map(version -> answer(orderId, version));
    }

    private Uni<Long> apply(OrderEntity order, List<OrderEvent> decided, String correlationId) {
        return Multi.createFrom().iterable(decided)
                .onItem().transformToUniAndConcatenate(event -> {
                    order.apply(OrderDecider.evolve(order.state(), event));
                    return events.append(OrderEvent.AGGREGATE_TYPE, order.id, order.version, event, event.at(), correlationId);
                })
                .collect().last()
                .replaceWith(() -> order.version);
    }

    private static OrderEntity existing(OrderEntity order, UUID orderId) {
        if (order == null) {
            throw Rejected.notFound("order " + orderId);
        }
        return order;
    }

    static void requireVersion(Long expected, long current) {
        if (expected != null && expected != current) {
            throw new Rejected(Rejected.Kind.STALE, "If-Match",
                    "expected version " + expected + ", but the order is at version " + current)
                    .with("currentVersion", current);
        }
    }

    private static CommandAnswer answer(UUID orderId, long version) {
        return CommandAnswer.accepted("orderId", orderId, version, "/orders/" + orderId);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Uni<Optional<OrderPlacement.Customer>> customer(UUID id) {
        return CustomerEntity.<CustomerEntity>findById(id)
                .map(c -> Optional.ofNullable(c).map(x -> new OrderPlacement.Customer(x.id, x.name, x.email)));
    }

    private static Uni<Map<UUID, OrderPlacement.Product>> products(PlaceOrder command) {
        List<UUID> ids = command.lines().stream().map(PlaceOrder.Line::productId).distinct().toList();
        return ProductEntity.byIds(ids).map(found -> found.stream()
                .map(p -> new OrderPlacement.Product(p.id, p.sku, p.name, p.unitPrice, p.discontinued))
                .collect(Collectors.toMap(OrderPlacement.Product::id, Function.identity())));
    }
}
