package io.ordersvc.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few calls the benchmark drivers make to set up their data through the service's API. */
final class ServiceApi {

    private ServiceApi() {
    }

    /** POSTs a creating command and answers the new id from its 201 answer. */
    static String create(HttpClient http, URI base, String path, String body, String idField)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(post(base, path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        String marker = "\"" + idField + "\":\"";
        int at = r.body().indexOf(marker) + marker.length();
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    static HttpRequest post(URI base, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
