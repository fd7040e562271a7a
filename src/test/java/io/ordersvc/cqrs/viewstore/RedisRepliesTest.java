package io.ordersvc.cqrs.viewstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failed writes the projector waits out, and which go to the dead-letter topic. */
class RedisRepliesTest {

    @Test
    void no_answer_at_all_is_an_outage() {
        assertThat(ViewStore.isOutage(new ConnectException("Connection refused"))).isTrue();
        assertThat(ViewStore.isOutage(new TimeoutException())).isTrue();
    }

    @Test
    void a_redis_that_is_loading_read_only_busy_or_full_is_waited_out() {
        assertThat(ViewStore.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory"))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("READONLY You can't write against a read only replica."))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("BUSY Redis is busy running a script."))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("OOM command not allowed when used memory > 'maxmemory'."))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("MASTERDOWN Link with MASTER is down"))).isTrue();
    }

    @Test
    void a_command_of_the_script_that_redis_6_refused_for_want_of_memory_or_of_a_primary_is_waited_out() {
        // Redis 6.2 answers a script whose command it refused with the script's error; Redis 7 with the refusal
        assertThat(ViewStore.isOutage(ErrorType.create("ERR Error running script (call to f_2b5c8e): @user_script:72: "
                + "-OOM command not allowed when used memory > 'maxmemory'."))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("ERR Error running script (call to f_2b5c8e): @user_script:40: "
                + "-READONLY You can't write against a read only replica."))).isTrue();
        assertThat(ViewStore.isOutage(ErrorType.create("ERR Error running script (call to f_2b5c8e): @user_script:40: "
                + "-CLUSTERDOWN The cluster is down"))).isTrue();
    }

    @Test
    void an_error_of_the_script_or_the_command_is_final() {
        assertThat(ViewStore.isOutage(ErrorType.create("ERR Error running script: user_script:12: bad argument"))).isFalse();
        assertThat(ViewStore.isOutage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
    }
}
