package io.ordersvc.cqrs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ordersvc.cqrs.domain.Rejected;
import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into problem+json, naming the offending field where there is one. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = Problem.response(e.problem());
        e.headers().forEach((name, value) -> response.getHeaders().putSingle(name, value));
        return response;
    }

    @ServerExceptionMapper
    public Response rejected(Rejected e) {
        Problem problem = switch (e.kind()) {
            case UNPROCESSABLE -> Problem.invalid(422, "Unprocessable request",
                    List.of(new Problem.FieldError(e.field() == null ? "body" : e.field(), e.getMessage())));
            case CONFLICT -> Problem.of(409, "Conflict", e.getMessage());
            case STALE -> Problem.of(412, "Precondition failed", e.getMessage());
            case NOT_FOUND -> Problem.of(404, "Not found", e.getMessage());
            case FORBIDDEN -> e.field() == null ? Problem.of(403, "Forbidden", e.getMessage())
                    : Problem.invalid(403, "Forbidden", List.of(new Problem.FieldError(e.field(), e.getMessage())));
        };
        e.details().forEach(problem::with);
        return Problem.response(problem);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.response(Problem.invalid(400, "Invalid request", errors));
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(StreamReadException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response otherJson(JsonProcessingException e) {
        return e instanceof JsonMappingException m ? badJson(m) : malformed(e);
    }

    private static Response malformed(JsonProcessingException e) {
        return Problem.response(Problem.invalid(400, "Malformed JSON",
                List.of(new Problem.FieldError("body", e.getOriginalMessage()))));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return otherJson(json);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        return Problem.response(Problem.of(status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (UNIQUE_VIOLATION.equals(sqlState(e))) {
            // the constraint's name stays in the log: a caller learns nothing of the schema
            LOG.debugf("answered 409: %s", rootMessage(e));
            return Problem.response(Problem.of(409, "Conflict", "what the request would create exists already"));
        }
        if (Unavailable.is(e)) {
            LOG.warnf("answered 503: %s", rootMessage(e));
            return Unavailable.response();
        }
        LOG.error("unexpected failure", e);
        return Problem.response(Problem.of(500, "Internal error", "the request could not be completed"));
    }

    private static Response badJson(JsonMappingException e) {
        String field = path(e);
        if (e.getCause() instanceof InputCoercionException range && !field.isEmpty()) {
            // a number beyond its type (a quantity of 2^63): the field is known, the JSON is fine
            return Problem.response(Problem.invalid(400, "Invalid request",
                    List.of(new Problem.FieldError(field, range.getOriginalMessage()))));
        }
        if (e.getCause() instanceof StreamReadException broken) {
            return malformed(broken);
        }
        if (e instanceof PlainText.Refused) {
            return Problem.response(Problem.invalid(400, "Invalid request",
                    List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, e.getOriginalMessage()))));
        }
        String message = e instanceof UnrecognizedPropertyException u
                ? "unknown property '" + u.getPropertyName() + "'"
                : e instanceof InvalidFormatException f
                        ? "cannot read " + describe(f.getValue()) + " as " + f.getTargetType().getSimpleName()
                        : e instanceof MismatchedInputException m && m.getTargetType() != null
                                ? "expected " + m.getTargetType().getSimpleName()
                                : e.getOriginalMessage();
        return Problem.response(Problem.invalid(400, "Invalid JSON",
                List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, message))));
    }

    private static String describe(Object value) {
        String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** {@code lines[0].quantity}, from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** {@code lines[0].quantity}, without the method and parameter names of the resource method. */
    private static String field(ConstraintViolation<?> v) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getName() == null) {
                continue;
            }
            if (node.getIndex() != null && !sb.isEmpty()) {
                sb.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    /** The SQL state of a database failure, however the driver wrapped it. */
    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof PgException pg ? pg.getErrorMessage() : t.getMessage();
    }
}
