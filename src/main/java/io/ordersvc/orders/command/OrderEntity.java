package io.ordersvc.orders.command;

import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The order's row in the write model; its version is the version of its latest event. */
@Entity
@Table(name = "orders")
public class OrderEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "customer_id")
    public UUID customerId;

    @Enumerated(EnumType.STRING)
    public OrderStatus status;

    @Column(name = "ship_line1")
    public String shipLine1;

    @Column(name = "ship_city")
    public String shipCity;

    @Column(name = "ship_postal_code")
    public String shipPostalCode;

    @Column(name = "ship_country")
    public String shipCountry;

    public BigDecimal total;

    public long version;

    @Column(name = "placed_at")
    public Instant placedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @ElementCollection
    @CollectionTable(name = "order_lines", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    public List<OrderLine> lines = new ArrayList<>();

    /** What the decisions need; the lines stay out, since no lifecycle decision reads them. */
    OrderState state() {
        return new OrderState(id, customerId, status,
                new ShippingAddress(shipLine1, shipCity, shipPostalCode, shipCountry), List.of(), total, version,
                placedAt, updatedAt);
    }

    /** The row of an order that has just been placed: its state after its first event. */
    static OrderEntity of(OrderState s) {
        OrderEntity o = new OrderEntity();
        o.id = s.id();
        o.customerId = s.customerId();
        o.total = s.total();
        o.placedAt = s.placedAt();
        s.lines().forEach(l -> o.lines.add(OrderLine.of(l)));
        o.apply(s);
        return o;
    }

    /** What an event changed: the row follows the state folded from it. */
    void apply(OrderState s) {
        status = s.status();
        shipLine1 = s.shippingAddress().line1();
        shipCity = s.shippingAddress().city();
        shipPostalCode = s.shippingAddress().postalCode();
        shipCountry = s.shippingAddress().country();
        version = s.version();
        updatedAt = s.updatedAt();
    }
}
