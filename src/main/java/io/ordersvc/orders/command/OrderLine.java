package io.ordersvc.orders.command;

import io.ordersvc.orders.event.OrderPlaced;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.util.UUID;

/** One line of an order's row in the write model. */
@Embeddable
public class OrderLine {

    @Column(name = "product_id")
    public UUID productId;

    @Column(name = "product_sku")
    public String productSku;

    @Column(name = "product_name")
    public String productName;

    @Column(name = "unit_price")
    public BigDecimal unitPrice;

    public int quantity;

    @Column(name = "line_total")
    public BigDecimal lineTotal;

    static OrderLine of(OrderPlaced.Line l) {
        OrderLine line = new OrderLine();
        line.productId = l.productId();
        line.productSku = l.sku();
        line.productName = l.productName();
        line.unitPrice = l.unitPrice();
        line.quantity = l.quantity();
        line.lineTotal = l.lineTotal();
        return line;
    }
}
