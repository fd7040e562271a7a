package io.ordersvc.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.fault.FollowerCheck.Change;
import io.ordersvc.fault.FollowerCheck.Expected;
import io.ordersvc.fault.FollowerCheck.Refetch;
import io.ordersvc.fault.FollowerCheck.Reset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fault suite's judgement of one SSE follower's log, with no server at all. */
class FollowerCheckTest {

    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    @Test
    void every_change_once_and_in_order_is_clean() {
        var verdict = FollowerCheck.check(List.of(new Change(1, A, 1), new Change(2, B, 1), new Change(3, A, 2)),
                Map.of(A, new Expected(1, 2), B, new Expected(1, 1)));

        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.delivered()).isEqualTo(3);
    }

    @Test
    void a_change_received_again_after_a_resume_is_a_duplicate() {
        var verdict = FollowerCheck.check(List.of(new Change(1, A, 1), new Change(2, A, 2), new Change(2, A, 2)),
                Map.of(A, new Expected(1, 2)));

        assertThat(verdict.duplicates()).isEqualTo(1);
        assertThat(verdict.clean()).isFalse();
    }

    @Test
    void a_version_never_received_is_missing_and_leaves_a_gap_in_the_positions() {
        var verdict = FollowerCheck.check(List.of(new Change(2, A, 2), new Change(4, A, 4)), Map.of(A, new Expected(2, 4)));

        assertThat(verdict.missing()).isEqualTo(1);
        assertThat(verdict.positionGaps()).isEqualTo(1);
    }

    @Test
    void an_older_version_after_a_newer_one_is_out_of_order() {
        var verdict = FollowerCheck.check(List.of(new Change(1, A, 2), new Change(2, A, 1)), Map.of(A, new Expected(1, 2)));

        assertThat(verdict.outOfOrder()).isEqualTo(1);
    }

    @Test
    void a_reset_followed_by_a_refetch_covers_what_the_follower_skipped() {
        var verdict = FollowerCheck.check(List.of(new Change(1, A, 1), new Reset(7), new Refetch(Map.of(A, 3L, B, 2L)),
                new Change(8, A, 4)), Map.of(A, new Expected(1, 4), B, new Expected(1, 2)));

        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.resets()).isEqualTo(1);
    }

    @Test
    void a_reset_whose_refetch_shows_an_older_version_still_leaves_the_rest_missing() {
        var verdict = FollowerCheck.check(List.of(new Reset(5), new Refetch(Map.of(A, 1L)), new Change(6, A, 3)),
                Map.of(A, new Expected(1, 3)));

        assertThat(verdict.missing()).isEqualTo(1);
    }

    @Test
    void a_change_of_an_order_the_follower_should_not_see_is_unexpected() {
        var verdict = FollowerCheck.check(List.of(new Change(1, B, 1)), Map.of(A, new Expected(1, 0)));

        assertThat(verdict.unexpected()).isEqualTo(1);
    }
}
