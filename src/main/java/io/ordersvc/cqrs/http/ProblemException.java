package io.ordersvc.cqrs.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A refusal the caller can act on; the transaction it interrupts rolls back, so nothing is written. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    private ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    /** Response headers that go with the problem, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public ProblemException withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ProblemException(problem, Map.copyOf(all));
    }

    /** The instance cannot take the request now; the caller may try again after {@code seconds}. */
    public static ProblemException unavailable(String detail, long seconds) {
        return new ProblemException(Problem.of(503, "Service unavailable", detail))
                .withHeader("Retry-After", Long.toString(seconds));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "Not found", what + " does not exist"));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }
}
