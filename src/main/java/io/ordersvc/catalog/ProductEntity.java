package io.ordersvc.catalog;

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

    public static Uni<List<ProductEntity>> byIds(Collection<UUID> ids) {
        return list("id in ?1", ids);
    }

    public static Uni<Boolean> skuTaken(String sku) {
        return count("sku", sku).map(n -> n > 0);
    }
}
