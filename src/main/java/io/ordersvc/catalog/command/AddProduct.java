package io.ordersvc.catalog.command;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** Command: add a product to the catalog at a price. */
public record AddProduct(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, '.', '_' and '-' only") String sku,
        @NotBlank @Size(max = 200) String name,
        @NotNull @DecimalMin(value = "0.00", inclusive = false) @DecimalMax(ChangeProductPrice.HIGHEST_PRICE)
        @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {
}
