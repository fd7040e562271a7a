package io.ordersvc.catalog.command;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;

/** Command: the product sells at a new price from now on; orders placed before keep theirs. */
public record ChangeProductPrice(
        @NotNull @DecimalMin(value = "0.00", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {
}
