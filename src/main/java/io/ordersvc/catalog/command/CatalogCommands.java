package io.ordersvc.catalog.command;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductDiscontinued;
import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductPriceChanged;
import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

/**
 * Catalog command handlers, run inside the command bus's transaction: each decides an event, the
 * product's row follows it, and the event is appended to the log.
 */
@ApplicationScoped
class CatalogCommands {

    private final EventLog events;

    CatalogCommands(EventLog events) {
        this.events = events;
    }

    Uni<CommandAnswer> add(AddProduct command, String correlationId) {
        ProductAdded added = new ProductAdded(UUID.randomUUID(), command.sku().strip(), command.name().strip(),
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), now());
        return ProductEntity.skuTaken(added.sku())
                .invoke(taken -> {
                    if (taken) {
                        throw Rejected.conflict("a product with sku " + added.sku() + " exists");
                    }
                })
                .flatMap(free -> ProductEntity.of(added).persist())
                .flatMap(saved -> events.append(ProductEvent.AGGREGATE_TYPE, added.productId(), 1, added, added.addedAt(),
                        correlationId))
                .replaceWith(CommandAnswer.created("productId", added.productId(), 1, "/products/" + added.productId()));
    }

    Uni<CommandAnswer> changePrice(UUID id, Long expectedVersion, ChangeProductPrice command, String correlationId) {
        return change(id, expectedVersion, correlationId, product -> new ProductPriceChanged(id, product.unitPrice,
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), now()));
    }

    Uni<CommandAnswer> discontinue(UUID id, Long expectedVersion, String correlationId) {
        return change(id, expectedVersion, correlationId, product -> new ProductDiscontinued(id, product.unitPrice, now()));
    }

    /** Locks the product, checks its version and that it still sells, applies the decided event and logs it. */
    private Uni<CommandAnswer> change(UUID id, Long expectedVersion, String correlationId,
            Function<ProductEntity, ProductEvent> decision) {
        return ProductEntity.<ProductEntity>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(product -> available(product, id, expectedVersion))
                .flatMap(product -> {
                    ProductEvent event = decision.apply(product);
                    product.apply(event);
                    return events.append(ProductEvent.AGGREGATE_TYPE, id, product.version, event, event.at(), correlationId)
                            .replaceWith(CommandAnswer.accepted("productId", id, product.version, "/products/" + id));
                });
    }

    private static ProductEntity available(ProductEntity product, UUID id, Long expectedVersion) {
        if (product == null) {
            throw Rejected.notFound("product " + id);
        }
        if (expectedVersion != null && expectedVersion != product.version) {
            throw new Rejected(Rejected.Kind.STALE, "If-Match", "expected version " + expectedVersion
                    + ", but the product is at version " + product.version).with("currentVersion", product.version);
        }
        if (product.discontinued) {
            throw Rejected.conflict("product " + product.sku + " is discontinued")
                    .with("currentVersion", product.version);
        }
        return product;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
