package io.ordersvc.support;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * In the tests only: the service's sockets get small send buffers. Loopback's large segments give
 * each connection megabytes of kernel buffer otherwise, so a client that stops reading would take
 * thousands of events before the service ever saw it fall behind.
 */
@ApplicationScoped
public class SmallSendBuffers implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setSendBufferSize(8 * 1024);
    }
}
