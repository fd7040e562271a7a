package io.ordersvc.cqrs.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.tracing.TraceParent;
import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.ViewChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a change carries the trace it was made in: kept once beside its data, and named in the data its clients read. */
class TracedAnnouncementsTest {

    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_traced_announcement_keeps_the_traceparent_beside_its_data_which_it_stores_once() {
        Announcement plain = new Announcement("OrderPlaced", "{\"orderId\":\"o-1\",\"version\":1}", "changes:order:o-1", 1,
                List.of());

        Announcement traced = plain.traced(TRACE);

        assertThat(traced.trace()).isEqualTo(TRACE);
        assertThat(traced).usingRecursiveComparison().ignoringFields("trace").isEqualTo(plain);
    }

    @Test
    void a_traced_change_read_back_names_the_trace_id_in_its_data() {
        assertThat(Change.at(7, "OrderPlaced\n{\"orderId\":\"o-1\",\"version\":1}\n" + TRACE).data())
                .isEqualTo("{\"orderId\":\"o-1\",\"version\":1,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
        assertThat(Change.parse("8\nPing\n{}\n" + TRACE).data()).isEqualTo("{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    }

    @Test
    void a_change_stored_before_with_its_trace_id_in_its_data_reads_back_as_stored() {
        String stored = "{\"v\":1,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}";
        assertThat(Change.at(7, "OrderPlaced\n" + stored + "\n" + TRACE).data()).isEqualTo(stored);
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
        assertThat(traced).isEqualTo(new Change(7, "OrderPlaced", "{\"v\":1,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}", TRACE));

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
