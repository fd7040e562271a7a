package io.ordersvc.cqrs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.viewstore.ViewStore;
import io.vertx.core.impl.NoStackTraceThrowable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures say that a server is out (answered 503, try again) rather than that the service erred (500). */
class UnavailableTest {

    @Test
    void a_refused_reset_or_broken_connection_is_a_server_out_however_it_is_wrapped() {
        assertThat(Unavailable.is(new ConnectException("Connection refused"))).isTrue();
        assertThat(Unavailable.is(new SocketException("Connection reset"))).isTrue();
        assertThat(Unavailable.is(new CompletionException(new IOException("Broken pipe")))).isTrue();
    }

    @Test
    void a_pooled_connection_closed_under_the_request_is_a_server_out() {
        assertThat(Unavailable.is(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))).isTrue();
    }

    @Test
    void read_models_being_rebuilt_are_a_server_out_for_a_reader_with_no_fallback() {
        assertThat(Unavailable.is(new RuntimeException(new ViewStore.ReadModelsMissing()))).isTrue();
    }

    @Test
    void a_failure_of_the_services_own_is_not() {
        assertThat(Unavailable.is(new IllegalStateException("a bug"))).isFalse();
        assertThat(Unavailable.is(new NullPointerException())).isFalse();
    }
}
