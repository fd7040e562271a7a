package io.ordersvc.support;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A REST Assured filter that holds every exchange to the API document the service serves at
 * {@code /q/openapi} ({@link ApiConformance}): a disagreement fails the request's test at once,
 * naming the request, the operation and what disagrees. {@link ApiConformanceForEveryTest} installs
 * it for every specification; a test may install one with a document of its own ({@link #against}).
 */
public final class ApiConformanceFilter implements Filter {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The document of each server the specifications talk to, read once: empty where none is served. */
    private static final Map<String, Optional<ApiConformance>> DOCUMENTS = new ConcurrentHashMap<>();

    /** What the shared filter saw since {@link #startCounting()}, by kind ("answers checked", "out of scope: …"). */
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    /** The time spent checking (the first request to a server also reads its document), not in the exchange itself. */
    private static final LongAdder CHECKING_NANOS = new LongAdder();
    /** Disagreements not yet reported by {@link #drainDisagreements()}, in case a test swallowed the failure. */
    private static final List<String> UNREPORTED = new ArrayList<>();

    private final Function<String, Optional<ApiConformance>> documents;
    private final boolean counted;

    private ApiConformanceFilter(Function<String, Optional<ApiConformance>> documents, boolean counted) {
        this.documents = documents;
        this.counted = counted;
    }

    /** The filter every specification runs with: the document that the server addressed serves. */
    static ApiConformanceFilter served() {
        return new ApiConformanceFilter(ApiConformanceFilter::document, true);
    }

    /** A filter with a given document, such as one with a planted disagreement. */
    public static ApiConformanceFilter against(ApiConformance document) {
        return new ApiConformanceFilter(base -> Optional.of(document), false);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        long started = System.nanoTime();
        try {
            return check(request, response);
        } finally {
            if (counted) {
                CHECKING_NANOS.add(System.nanoTime() - started);
            }
        }
    }

    private Response check(FilterableRequestSpecification request, Response response) {
        URI uri = URI.create(request.getURI());
        Optional<ApiConformance> document = documents.apply(uri.getScheme() + "://" + uri.getRawAuthority());
        if (document.isEmpty()) {
            count("out of scope: a server that serves no API document");
            return response;
        }
        ApiConformance.Verdict verdict = document.get().check(exchange(request, uri, response));
        if (verdict.outOfScope() != null) {
            count("out of scope: " + verdict.outOfScope().replaceFirst(" \\(.*", ""));
        }
        if (verdict.answerChecked()) {
            count("answers checked");
        }
        if (verdict.requestChecked()) {
            count("requests checked");
        } else if (verdict.answerChecked()) {
            count("requests not checked: refused with 4xx");
        }
        if (!verdict.agrees()) {
            count("disagreements");
            String message = "The API document (/q/openapi) and the wire disagree:\n  " + String.join("\n  ", verdict.disagreements());
            if (counted) {
                synchronized (UNREPORTED) {
                    UNREPORTED.addAll(verdict.disagreements());
                }
            }
            throw new AssertionError(message);
        }
        return response;
    }

    private static ApiConformance.Exchange exchange(FilterableRequestSpecification request, URI uri, Response response) {
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        request.getHeaders().forEach(h -> requestHeaders.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        if (request.getContentType() != null) {
            requestHeaders.put("content-type", List.of(request.getContentType()));
        }
        Map<String, List<String>> answerHeaders = new LinkedHashMap<>();
        response.getHeaders().forEach(h -> answerHeaders.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        // a change stream's body lasts as long as the stream: it is left to the test that opened it
        boolean stream = String.valueOf(response.getContentType()).toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        String answerBody = stream ? null : response.asString();
        return new ApiConformance.Exchange(request.getMethod(), uri.getRawPath(), query(uri.getRawQuery()), requestHeaders,
                body(request), response.getStatusCode(), answerHeaders, answerBody);
    }

    private static String body(FilterableRequestSpecification request) {
        Object body = request.getBody();
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body == null && !request.getFormParams().isEmpty()) {
            return request.getFormParams().toString();
        }
        return body == null ? null : body.toString();
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /**
     * The document a server serves, read once; none where it answers {@code /q/openapi} with anything
     * but a document (another kind of server). A server that answered the request but not this is a
     * failure, not a reason to check nothing.
     */
    private static Optional<ApiConformance> document(String base) {
        Optional<ApiConformance> known = DOCUMENTS.get(base);
        if (known != null) {
            return known;
        }
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Optional<ApiConformance> document = answer.statusCode() == 200 ? Optional.of(ApiConformance.of(answer.body()))
                    : Optional.empty();
            DOCUMENTS.put(base, document);
            return document;
        } catch (java.io.IOException e) {
            throw new AssertionError("the API document of " + base + " could not be read to check the request", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading the API document of " + base, e);
        }
    }

    private void count(String what) {
        if (counted) {
            COUNTS.computeIfAbsent(what, k -> new LongAdder()).increment();
        }
    }

    static void startCounting() {
        COUNTS.clear();
        CHECKING_NANOS.reset();
    }

    static long checkingMillis() {
        return CHECKING_NANOS.sum() / 1_000_000;
    }

    /** The counts since {@link #startCounting()}, by kind. */
    static Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        COUNTS.forEach((what, n) -> counts.put(what, n.sum()));
        return counts;
    }

    /** The disagreements since the last call: a test that swallowed its failure still fails. */
    static List<String> drainDisagreements() {
        synchronized (UNREPORTED) {
            List<String> drained = List.copyOf(UNREPORTED);
            UNREPORTED.clear();
            return drained;
        }
    }

    /** A new server may serve another document (a restart with another profile): read it again. */
    static void forgetDocuments() {
        DOCUMENTS.clear();
    }
}
