package io.ordersvc.orders;

import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.staffBearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderChangesTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void an_sse_client_connected_before_the_command_receives_the_notification() {
        UUID customer = customer("Katherine Johnson");
        UUID sliderule = product("Slide rule", "31.00");
        // the client chooses the order id, as an optimistic UI does, so that the order can be followed first:
        // by staff, since a customer is admitted to an order's stream only once the order is known to be its own
        UUID orderId = UUID.randomUUID();
        try (SseClient client = SseClient.connect(staffBearer(), base.resolve("/orders/" + orderId + "/changes"))) {
            assertThat(client.status()).isEqualTo(200);

            Map<String, Object> command = new HashMap<>(placeOrder(customer, List.of(line(sliderule, 1))));
            command.put("orderId", orderId.toString());
            asCustomer(customer).contentType(ContentType.JSON).body(command).post("/orders").then().statusCode(202);

            SseClient.Event event = await().atMost(SseClient.timeout())
                    .until(client::events, events -> !events.isEmpty()).get(0);
            assertThat(event.id()).isEqualTo("1");
            assertThat(event.name()).isEqualTo("OrderPlaced");
            JsonPath data = JsonPath.from(event.data());
            assertThat(data.getString("orderId")).isEqualTo(orderId.toString());
            assertThat(data.getLong("version")).isEqualTo(1);
            assertThat(data.getString("status")).isEqualTo("PLACED");
        }
    }

    @Test
    void an_order_id_that_is_taken_is_a_conflict() {
        UUID customer = customer("Mary Jackson");
        UUID model = product("Wind tunnel model", "120.00");
        Map<String, Object> command = new HashMap<>(placeOrder(customer, List.of(line(model, 1))));
        command.put("orderId", UUID.randomUUID().toString());
        asCustomer(customer).contentType(ContentType.JSON).body(command).post("/orders").then().statusCode(202);

        asCustomer(customer).contentType(ContentType.JSON).body(command).post("/orders").then()
                .statusCode(409)
                .contentType("application/problem+json");
    }
}
