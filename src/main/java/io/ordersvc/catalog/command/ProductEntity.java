package io.ordersvc.catalog.command;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductEvent;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** A product's row in the write model; its version is the version of its latest event. */
@Entity
@Table(name = "products")
public class ProductEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String sku;

    public String name;

    @Column(name = "unit_price")
    public BigDecimal unitPrice;

    public boolean discontinued;

    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    static ProductEntity of(ProductAdded e) {
        ProductEntity p = new ProductEntity();
        p.id = e.productId();
        p.sku = e.sku();
        p.name = e.name();
        p.createdAt = e.addedAt();
        p.apply(e);
        return p;
    }

    /** The row follows the event: what the product sells at, whether it still sells, and the version. */
    void apply(ProductEvent e) {
        unitPrice = e.unitPrice();
        discontinued = e.discontinued();
        version++;
    }

    public static Uni<List<ProductEntity>> byIds(Collection<UUID> ids) {
        return list("id in ?1", ids);
    }

    public static Uni<Boolean> skuTaken(String sku) {
        return count("sku", sku).map(n -> n > 0);
    }
}
