package io.ordersvc.catalog.command;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;

/** Command: the product sells at a new price from now on; orders placed before keep theirs. */
public record ChangeProductPrice(
        @NotNull @DecimalMin(value = "0.00", inclusive = false) @DecimalMax(HIGHEST_PRICE)
        @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {

    /**
     * The highest price a product's column holds. @Digits alone let 1e2147483647 through (its count
     * of integer digits overflows an int), and the handler then failed on it.
     */
    static final String HIGHEST_PRICE = "9999999999.99";
}
