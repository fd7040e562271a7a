package io.ordersvc.customers;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegisterCustomerAndAddProductTest {

    @Test
    void a_customer_registers_itself_under_its_token_subject_with_its_location_and_version() {
        UUID lise = UUID.randomUUID();
        asCustomer(lise).contentType(ContentType.JSON)
                .body(Map.of("name", "Lise Meitner", "email", Fixtures.unique("lise") + "@example.com"))
                .post("/customers").then()
                .statusCode(201)
                .header("Location", matchesPattern(".*/customers/" + lise))
                .header("ETag", "\"1\"")
                .body("customerId", equalTo(lise.toString()))
                .body("version", equalTo(1));
    }

    @Test
    void a_customer_registers_once() {
        UUID ada = UUID.randomUUID();
        asCustomer(ada).contentType(ContentType.JSON).body(Map.of("name", "Ada Lovelace", "email", Fixtures.unique("ada") + "@example.com"))
                .post("/customers").then().statusCode(201);

        asCustomer(ada).contentType(ContentType.JSON).body(Map.of("name", "Ada King", "email", Fixtures.unique("king") + "@example.com"))
                .post("/customers").then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void an_email_registered_before_in_another_case_is_a_conflict() {
        String email = Fixtures.unique("marie") + "@example.com";
        asCustomer(UUID.randomUUID()).contentType(ContentType.JSON).body(Map.of("name", "Marie Curie", "email", email))
                .post("/customers").then().statusCode(201);

        asCustomer(UUID.randomUUID()).contentType(ContentType.JSON).body(Map.of("name", "M. Curie", "email", email.toUpperCase()))
                .post("/customers").then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void an_invalid_email_is_refused_naming_the_field() {
        asCustomer(UUID.randomUUID()).contentType(ContentType.JSON).body(Map.of("name", "Nobody", "email", "not-an-email"))
                .post("/customers").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("email"));
    }

    @Test
    void a_price_with_more_than_two_decimals_is_refused_naming_the_field() {
        asStaff().contentType(ContentType.JSON)
                .body("{\"sku\":\"" + Fixtures.unique("SKU") + "\",\"name\":\"Fine scale\",\"unitPrice\":1.005}")
                .post("/products").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("unitPrice"));
    }

    @Test
    void a_sku_added_before_is_a_conflict() {
        String sku = Fixtures.unique("SKU");
        String body = "{\"sku\":\"" + sku + "\",\"name\":\"Lens\",\"unitPrice\":10.00}";
        asStaff().contentType(ContentType.JSON).body(body).post("/products").then().statusCode(201);
        asStaff().contentType(ContentType.JSON).body(body).post("/products").then()
                .statusCode(409)
                .contentType("application/problem+json");
    }
}
