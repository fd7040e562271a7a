package io.ordersvc.cqrs.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.tracing.TraceParent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a change carries the trace it was made in: named in its data, and kept beside it for its delivery. */
class TracedAnnouncementsTest {

    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_traced_announcement_names_the_trace_id_in_its_data_and_keeps_the_traceparent() {
        Announcement plain = new Announcement("OrderPlaced", "{\"orderId\":\"o-1\",\"version\":1}", "changes:order:o-1", 1,
                List.of());

        Announcement traced = plain.traced(TRACE);

        assertThat(traced.data()).isEqualTo("{\"orderId\":\"o-1\",\"version\":1,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
        assertThat(traced.trace()).isEqualTo(TRACE);
        assertThat(traced).usingRecursiveComparison().ignoringFields("data", "trace").isEqualTo(plain);
    }

    @Test
    void an_announcement_with_empty_data_gets_the_trace_id_alone() {
        assertThat(new Announcement("Ping", "{}", "s", 1, List.of()).traced(TRACE).data())
                .isEqualTo("{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    }

    @Test
    void without_a_valid_traceparent_the_announcement_stays_as_it_was() {
        Announcement plain = new Announcement("OrderPlaced", "{\"v\":1}", "s", 1, List.of());
        assertThat(plain.traced(null)).isSameAs(plain);
        assertThat(plain.traced("00-not-a-trace")).isSameAs(plain);
        assertThat(new ViewChange(null, List.of(), null, null).traced(TRACE).announcement()).isNull();
    }

    @Test
    void a_stream_entry_reads_back_with_its_traceparent_and_one_written_before_traces_without() {
        Change traced = Change.at(7, "OrderPlaced\n{\"v\":1}\n" + TRACE);
        assertThat(traced).isEqualTo(new Change(7, "OrderPlaced", "{\"v\":1}", TRACE));

        Change older = Change.parse("8\nOrderShipped\n{\"v\":2}");
        assertThat(older).isEqualTo(new Change(8, "OrderShipped", "{\"v\":2}", null));
    }

    @Test
    void a_traceparent_reads_as_its_trace_and_span_and_nothing_malformed_does() {
        assertThat(TraceParent.traceId(TRACE)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceParent.of(TraceParent.context(TRACE))).isEqualTo(TRACE);
        assertThat(TraceParent.context("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01").isValid()).isFalse();
        assertThat(TraceParent.context("00-00000000000000000000000000000000-00f067aa0ba902b7-01").isValid()).isFalse();
        assertThat(TraceParent.traceId(null)).isNull();
    }
}
