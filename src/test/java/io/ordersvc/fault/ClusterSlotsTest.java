package io.ordersvc.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fault suite's hash slots, against the values of the Redis Cluster specification, with no server at all. */
class ClusterSlotsTest {

    @Test
    void the_checksum_is_crc16_xmodem_as_the_specification_gives_it() {
        assertThat(ClusterSlots.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x31C3);
    }

    @Test
    void a_key_without_a_tag_is_hashed_whole() {
        assertThat(ClusterSlots.slot("foo")).isEqualTo(12182);
        assertThat(ClusterSlots.slot("somekey")).isEqualTo(11058);
    }

    @Test
    void only_the_tag_between_the_first_brace_and_the_next_closing_one_is_hashed() {
        assertThat(ClusterSlots.slot("{user1000}.following")).isEqualTo(ClusterSlots.slot("user1000"));
        assertThat(ClusterSlots.slot("foo{bar}{zap}")).isEqualTo(ClusterSlots.slot("bar"));
        assertThat(ClusterSlots.slot("foo{{bar}}zap")).isEqualTo(ClusterSlots.slot("{bar"));
    }

    @Test
    void an_empty_tag_is_no_tag() {
        assertThat(ClusterSlots.slot("foo{}{bar}")).isEqualTo(ClusterSlots.crc16("foo{}{bar}".getBytes(StandardCharsets.UTF_8)) % 16384);
    }

    @Test
    void an_orders_view_and_its_change_stream_share_the_orders_slot() {
        String order = "7c1e6a2e-2d47-4f4a-9a55-0f3f5b2a9e11";
        assertThat(ClusterSlots.slot("g4:order:{" + order + "}")).isEqualTo(ClusterSlots.slot("changes:order:{" + order + "}"))
                .isEqualTo(ClusterSlots.slot(order));
    }
}
