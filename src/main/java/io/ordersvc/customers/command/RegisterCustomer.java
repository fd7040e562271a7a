package io.ordersvc.customers.command;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Command: register a customer who can then place orders. */
public record RegisterCustomer(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Email @Size(max = 254) String email) {
}
