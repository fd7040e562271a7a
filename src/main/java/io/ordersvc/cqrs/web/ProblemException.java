package io.ordersvc.cqrs.web;

import java.util.List;

/** A refusal the caller can act on; the transaction it interrupts rolls back, so nothing is written. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "Not found", what + " does not exist"));
    }

    /** Well-formed input that names something that does not exist or cannot be used. */
    public static ProblemException unprocessable(String field, String message) {
        return new ProblemException(Problem.invalid(422, "Unprocessable request",
                List.of(new Problem.FieldError(field, message))));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }
}
