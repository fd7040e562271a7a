package io.ordersvc.cqrs.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which traces are kept and exported (see {@link BackgroundCallsUnsampled}). */
@ConfigMapping(prefix = "ordersvc.tracing")
public interface TracingConfig {

    /**
     * The share of new traces kept, from 0 to 1; a trace that a caller's traceparent started is kept
     * or not as the caller decided.
     */
    @WithDefault("1.0")
    double sampleRatio();
}
