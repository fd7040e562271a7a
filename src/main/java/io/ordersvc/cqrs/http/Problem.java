package io.ordersvc.cqrs.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem detail: every error the service answers has this shape. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {

        public FieldError {
            field = echo(field, 200);
            message = echo(message, 500);
        }
    }

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    private Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = echo(detail, 2000);
        this.errors = List.copyOf(errors);
    }

    /**
     * Text that may hold what a client sent, made safe to answer: cut to {@code max} characters,
     * half surrogate pairs replaced (a JSON writer cannot encode them).
     */
    static String echo(String text, int max) {
        if (text == null) {
            return null;
        }
        String cut = text.length() > max ? text.substring(0, max) + "…" : text;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1))) {
                sb.append(c).append(cut.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, List.of());
    }

    public static Problem invalid(int status, String title, List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b)
                .orElse(title);
        return new Problem("about:blank", title, status, detail, errors);
    }

    /** An extra member, such as the current status or version an optimistic client must reconcile with. */
    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status).type(MEDIA_TYPE).entity(problem).build();
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public List<FieldError> getErrors() {
        return errors;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
