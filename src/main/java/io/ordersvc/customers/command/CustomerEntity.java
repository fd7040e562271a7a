package io.ordersvc.customers.command;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "customers")
public class CustomerEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public String email;

    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<Boolean> emailTaken(String email) {
        return count("lower(email) = lower(?1)", email).map(n -> n > 0);
    }
}
