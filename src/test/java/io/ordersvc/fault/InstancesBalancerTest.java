package io.ordersvc.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's balancer, as a Kubernetes Service routes: to the ready instances, and when none
 * is ready never to one that was sent SIGTERM or has exited (its pod has no endpoint left). The
 * instances are plain OS processes standing in for the service; no server is needed.
 */
class InstancesBalancerTest {

    @TempDir
    Path logs;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void requests_go_round_robin_to_the_ready_instances_only() throws IOException {
        Instances instances = threeRunning();
        instances.get(0).ready = true;
        instances.get(2).ready = true;

        assertThat(picked(instances, 12)).containsExactlyInAnyOrder("instance-a", "instance-c");
    }

    @Test
    void when_none_is_ready_a_request_never_goes_to_an_instance_sent_sigterm_or_exited() throws Exception {
        Instances instances = threeRunning();
        instances.get(0).stopping = true;
        instances.get(1).process.destroyForcibly().waitFor();

        assertThat(picked(instances, 12)).containsExactly("instance-c");
    }

    @Test
    void when_every_instance_is_stopping_requests_go_to_them_all_rather_than_nowhere() throws IOException {
        Instances instances = threeRunning();
        instances.all().forEach(i -> i.stopping = true);

        assertThat(picked(instances, 12)).containsExactlyInAnyOrder("instance-a", "instance-b", "instance-c");
    }

    private Instances threeRunning() throws IOException {
        Instances instances = new Instances(Map.of(), logs, Instances.Spec.allRoles(3));
        for (Instances.Instance i : instances.all()) {
            i.process = sleeper();
        }
        return instances;
    }

    private Process sleeper() throws IOException {
        Process p = new ProcessBuilder("sleep", "60").start();
        started.add(p);
        return p;
    }

    private static Set<String> picked(Instances instances, int requests) {
        Set<String> names = new HashSet<>();
        IntStream.range(0, requests).forEach(n -> names.add(instances.pick(Instances.Role.COMMAND).name));
        return names;
    }
}
