package io.ordersvc.orders;

import static io.ordersvc.support.Callers.as;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Callers.tokens;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdempotentRetriesTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool primary;

    @Test
    void ten_concurrent_retries_with_one_key_have_one_effect_and_ten_identical_answers() {
        UUID customer = customer("Barbara McClintock");
        UUID corn = product("Maize seeds", "4.20");
        String body = "{\"customerId\":\"" + customer + "\",\"shippingAddress\":{\"line1\":\"1 Cold Spring\",\"city\":\"Harbor\","
                + "\"postalCode\":\"11724\",\"country\":\"US\"},\"lines\":[{\"productId\":\"" + corn + "\",\"quantity\":3}]}";
        String key = UUID.randomUUID().toString();

        List<HttpResponse<String>> answers = Http.concurrently(10,
                () -> Http.post(base.resolve("/orders"), body, "Idempotency-Key", key, "Authorization", bearer(customer)));

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202);
        assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.get(0).body());
        assertThat(answers).extracting(r -> r.headers().firstValue("Location").orElse(""))
                .containsOnly(answers.get(0).headers().firstValue("Location").orElseThrow());
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = $1", customer)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM events e JOIN orders o ON o.id = e.aggregate_id WHERE o.customer_id = $1",
                customer)).isEqualTo(1);
    }

    @Test
    void a_retry_of_a_lifecycle_command_repeats_the_first_answer_without_a_second_effect() {
        UUID id = Fixtures.order(customer("Rosalind Franklin"), product("Photo 51 print", "12.00"), 1);
        String key = UUID.randomUUID().toString();
        // one member of staff retrying: a key is its caller's own
        String clerk = tokens().staff();
        String first = as(clerk).header("Idempotency-Key", key).post("/orders/" + id + "/confirm").then()
                .statusCode(202).extract().asString();
        String retry = as(clerk).header("Idempotency-Key", key).post("/orders/" + id + "/confirm").then()
                .statusCode(202).extract().asString();
        assertThat(retry).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = $1", id)).isEqualTo(2);
    }

    @Test
    void the_same_key_with_a_different_body_is_a_422() {
        UUID wu = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        asCustomer(wu).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"Chien-Shiung Wu\",\"email\":\"" + Fixtures.unique("wu") + "@example.com\"}")
                .post("/customers").then().statusCode(201);
        asCustomer(wu).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"Someone Else\",\"email\":\"" + Fixtures.unique("else") + "@example.com\"}")
                .post("/customers").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("Idempotency-Key"));
    }

    @Test
    void a_key_is_stored_with_an_expiry_at_least_a_day_ahead() {
        String key = UUID.randomUUID().toString();
        asCustomer(UUID.randomUUID()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"Ada Yonath\",\"email\":\"" + Fixtures.unique("yonath") + "@example.com\"}")
                .post("/customers").then().statusCode(201);
        long hours = primary.preparedQuery("SELECT extract(epoch FROM expires_at - now()) / 3600 FROM idempotency_keys WHERE key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(5)).iterator().next().getDouble(0).longValue();
        assertThat(hours).isGreaterThanOrEqualTo(23);
    }

    private long count(String sql, UUID id) {
        return primary.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
