package io.ordersvc.orders.query;

import io.ordersvc.cqrs.http.Problem;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A cursor that no list of orders handed out is the caller's mistake, whichever list it comes to: a 400 naming it. */
public class InvalidCursorProblem {

    @ServerExceptionMapper
    public Response invalidCursor(IndexedOrder.InvalidCursor e) {
        return Problem.response(Problem.invalid(400, "Invalid request",
                List.of(new Problem.FieldError("cursor", "not a cursor this service handed out"))));
    }
}
