package io.ordersvc.catalog;

import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.DomainEvent;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.cqrs.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

/** Catalog command handlers, run inside the command bus's transaction. */
@ApplicationScoped
public class CatalogCommands {

    public static final String AGGREGATE = "product";

    private final EventLog events;

    CatalogCommands(EventLog events) {
        this.events = events;
    }

    public Uni<CommandAnswer> add(AddProduct command, String correlationId) {
        ProductAdded added = new ProductAdded(UUID.randomUUID(), command.sku().strip(), command.name().strip(),
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), now());
        return ProductEntity.skuTaken(added.sku())
                .invoke(taken -> {
                    if (taken) {
                        throw ProblemException.conflict("a product with sku " + added.sku() + " exists");
                    }
                })
                .flatMap(free -> entity(added).persist())
                .flatMap(saved -> events.append(AGGREGATE, added.productId(), 1, added, added.addedAt(), correlationId))
                .replaceWith(CommandAnswer.created("productId", added.productId(), 1, "/products/" + added.productId()));
    }

    public Uni<CommandAnswer> changePrice(UUID id, Long expectedVersion, ChangeProductPrice command, String correlationId) {
        return change(id, expectedVersion, correlationId, product -> {
            ProductPriceChanged changed = new ProductPriceChanged(id, product.unitPrice,
                    command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), now());
            product.unitPrice = changed.newPrice();
            return changed;
        });
    }

    public Uni<CommandAnswer> discontinue(UUID id, Long expectedVersion, String correlationId) {
        return change(id, expectedVersion, correlationId, product -> {
            product.discontinued = true;
            return new ProductDiscontinued(id, now());
        });
    }

    /** Locks the product, checks its version and that it still sells, applies the change and logs its event. */
    private Uni<CommandAnswer> change(UUID id, Long expectedVersion, String correlationId,
            Function<ProductEntity, DomainEvent> decision) {
        return ProductEntity.<ProductEntity>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(product -> available(product, id, expectedVersion))
                .flatMap(product -> {
                    DomainEvent event = decision.apply(product);
                    product.version++;
                    return events.append(AGGREGATE, id, product.version, event, now(), correlationId)
                            .replaceWith(CommandAnswer.accepted("productId", id, product.version, "/products/" + id));
                });
    }

    private static ProductEntity available(ProductEntity product, UUID id, Long expectedVersion) {
        if (product == null) {
            throw ProblemException.notFound("product " + id);
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

    private static ProductEntity entity(ProductAdded e) {
        ProductEntity p = new ProductEntity();
        p.id = e.productId();
        p.sku = e.sku();
        p.name = e.name();
        p.unitPrice = e.unitPrice();
        p.version = 1;
        p.createdAt = e.addedAt();
        return p;
    }
}
