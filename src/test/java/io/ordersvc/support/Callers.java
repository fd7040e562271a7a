package io.ordersvc.support;

import static io.restassured.RestAssured.given;

import io.ordersvc.stack.LocalStack;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/**
 * Requests as one caller or another: a customer (its token's subject is its customer id), staff,
 * admin. Tokens are signed with the test stack's key, as the identity provider would sign them.
 */
public final class Callers {

    private static volatile Tokens tokens;

    private Callers() {
    }

    public static Tokens tokens() {
        if (tokens == null) {
            tokens = Tokens.of(LocalStack.forTests());
        }
        return tokens;
    }

    public static RequestSpecification asCustomer(UUID customerId) {
        return as(tokens().customer(customerId));
    }

    public static RequestSpecification asStaff() {
        return as(tokens().staff());
    }

    public static RequestSpecification asAdmin() {
        return as(tokens().admin());
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** The {@code Authorization} header's value for a customer, for clients other than RestAssured. */
    public static String bearer(UUID customerId) {
        return "Bearer " + tokens().customer(customerId);
    }

    public static String staffBearer() {
        return "Bearer " + tokens().staff();
    }
}
