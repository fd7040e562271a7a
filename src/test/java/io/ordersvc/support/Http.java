package io.ordersvc.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** Fires requests truly at once, as racing clients do. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpRequest post(URI uri, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    /** Sends {@code n} requests concurrently and answers their responses once all are in. */
    public static List<HttpResponse<String>> concurrently(int n, Supplier<HttpRequest> request) {
        List<CompletableFuture<HttpResponse<String>>> all = IntStream.range(0, n)
                .mapToObj(i -> CLIENT.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        return all.stream().map(CompletableFuture::join).toList();
    }
}
