package io.ordersvc.bench;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.stack.StackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The few calls the benchmark drivers make to set up their data through the service's API, each
 * as the caller the access rules expect: a customer registers itself, staff add products.
 */
final class ServiceApi {

    private ServiceApi() {
    }

    /**
     * The people of the realm of the stack the service runs on, {@code -Dstack.dir}, and their tokens
     * from its identity provider: the drivers act as them.
     */
    static RealmUsers users() {
        String dir = System.getProperty("stack.dir");
        if (dir == null) {
            throw new IllegalStateException("-Dstack.dir=DIR: the stack whose identity provider the drivers' callers belong to");
        }
        return LocalStack.open(Path.of(dir), LocalStack.defaultDist(), StackPorts.dev()).users();
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Registers customer {@code id} as itself ({@code authorization}, its token); answers that, for what it does next. */
    static String registerCustomer(HttpClient http, URI base, String authorization, UUID id, String name)
            throws IOException, InterruptedException {
        String registered = create(http, base, authorization, "/customers",
                "{\"name\":\"" + name + "\",\"email\":\"bench-" + id + "@example.com\"}", "customerId");
        if (!registered.equals(id.toString())) {
            throw new IllegalStateException("registered as " + registered + ", not as the token's subject " + id);
        }
        return authorization;
    }

    /** POSTs a creating command and answers the new id from its 201 answer. */
    static String create(HttpClient http, URI base, String authorization, String path, String body, String idField)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(post(base, authorization, path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        String marker = "\"" + idField + "\":\"";
        int at = r.body().indexOf(marker) + marker.length();
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    static HttpRequest post(URI base, String authorization, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
