package io.ordersvc.cqrs.viewstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A view write applied away from Redis, by the rules the view store's script applies. */
class ViewWriteTest {

    @Test
    void a_whole_view_replaces_what_is_there_and_records_its_version() {
        Map<String, String> after = ViewWrite.replace("v", 1, Map.of("a", "1")).applyTo(Map.of("old", "x"));
        assertThat(after).containsOnly(Map.entry("a", "1"), Map.entry("version", "1"));
    }

    @Test
    void a_patch_applies_only_on_top_of_the_version_before_it() {
        Map<String, String> v1 = Map.of("a", "1", "b", "1", "version", "1");
        assertThat(ViewWrite.patch("v", 2, Map.of("b", "2")).applyTo(v1))
                .containsOnly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("version", "2"));
        assertThat(ViewWrite.patch("v", 3, Map.of("b", "3")).applyTo(v1)).isEqualTo(v1);
        assertThat(ViewWrite.patch("v", 1, Map.of("b", "3")).applyTo(Map.of())).isEmpty();
    }

    @Test
    void an_older_or_equal_version_changes_nothing() {
        Map<String, String> v2 = Map.of("a", "2", "version", "2");
        assertThat(ViewWrite.replace("v", 2, Map.of("a", "x")).applyTo(v2)).isEqualTo(v2);
        assertThat(ViewWrite.patch("v", 1, Map.of("a", "x")).applyTo(v2)).isEqualTo(v2);
    }
}
