package io.ordersvc.orders.command;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.util.UUID;

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
}
