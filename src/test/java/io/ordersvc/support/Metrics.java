package io.ordersvc.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The service's /q/metrics as specifications read it: each sample's series (name and labels) and
 * value. A sample recorded inside a trace carries an exemplar after its value ({@code # {span_id=…,
 * trace_id=…} value time}), which is not part of the sample.
 */
public final class Metrics {

    private Metrics() {
    }

    /** What the service's test instance exports now. */
    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Every sample whose series starts with {@code prefix}, by series; the last one where a series comes twice. */
    public static Map<String, Double> samples(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).map(Metrics::withoutExemplar)
                .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')),
                        l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), (a, b) -> b));
    }

    /** The sum of the samples of {@code name} whose series passes {@code series}. */
    public static double sum(String scrape, String name, Predicate<String> series) {
        return samples(scrape, name).entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> series.test(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static String withoutExemplar(String line) {
        int exemplar = line.indexOf(" # ");
        return exemplar < 0 ? line : line.substring(0, exemplar);
    }
}
