package io.ordersvc.orders.command;

import io.ordersvc.orders.event.OrderPlaced;
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

    void apply(OrderState s) {
        status = s.status();
        shipLine1 = s.shippingAddress().line1();
        shipCity = s.shippingAddress().city();
        shipPostalCode = s.shippingAddress().postalCode();
        shipCountry = s.shippingAddress().country();
        version = s.version();
        updatedAt = s.updatedAt();
    }

    static OrderEntity placed(OrderPlaced e) {
        OrderEntity o = new OrderEntity();
        o.id = e.orderId();
        o.customerId = e.customer().customerId();
        o.status = OrderStatus.PLACED;
        o.shipLine1 = e.shippingAddress().line1();
        o.shipCity = e.shippingAddress().city();
        o.shipPostalCode = e.shippingAddress().postalCode();
        o.shipCountry = e.shippingAddress().country();
        o.total = e.total();
        o.version = 1;
        o.placedAt = e.placedAt();
        o.updatedAt = e.placedAt();
        e.lines().forEach(l -> {
            OrderLine line = new OrderLine();
            line.productId = l.productId();
            line.productSku = l.sku();
            line.productName = l.productName();
            line.unitPrice = l.unitPrice();
            line.quantity = l.quantity();
            line.lineTotal = l.lineTotal();
            o.lines.add(line);
        });
        return o;
    }
}
