package io.ordersvc.fault;

import io.ordersvc.fault.FaultScenarios.Goal;
import io.ordersvc.fault.FaultScenarios.Run;
import io.ordersvc.fault.FaultScenarios.Scenario;
import java.util.List;

/**
 * A scale-down: two instances that each run every role, both told that a stop is for good
 * ({@code ORDERSVC_PROJECTOR_ON_STOP=leave}, as a StatefulSet being scaled down would decide); one
 * is stopped with SIGTERM under load and never comes back. Its projector leaves its consumer groups
 * as it stops, so the other instance serves every partition of both topics within seconds of the
 * signal, instead of once the stopped one's static membership timed out.
 */
final class ScaleDown {

    static final String NAME = "scale-down";
    /** The setting that tells an instance what its projector does on stopping (ProjectorMembershipConfig). */
    static final String ON_STOP = "ORDERSVC_PROJECTOR_ON_STOP";

    private ScaleDown() {
    }

    static Scenario scenario(Goal stopsFast, Goal catchUp, Goal noLoss, Goal noDivergence, Goal sseClean, Goal noFailedReadsDuring) {
        List<Instances.Spec> layout = Instances.Spec.allRoles(2).stream().map(s -> s.with(ON_STOP, "leave")).toList();
        return new Scenario(NAME, "two instances; one stopped for good with SIGTERM (scaled down), its projector leaving its groups",
                layout, FaultScenarios.COMMANDS_PER_SECOND, ScaleDown::stopForGood, List.of(
                        new Goal("the other instance serves every partition of both topics ≤ 5 s after the SIGTERM",
                                m -> m.extras.get("projector_sigterm_to_takeover_s"), FaultScenarios.atMost(5)),
                        stopsFast,
                        new Goal("0 failed command requests", m -> m.commandAttemptsFailedDuringFault, FaultScenarios.zero()),
                        noFailedReadsDuring, catchUp, noLoss, noDivergence, sseClean));
    }

    private static void stopForGood(Run run) throws Exception {
        Instances.Instance staying = run.instances.get(0);
        Instances.Instance leaving = run.instances.get(1);
        double orders = RolesApart.orderPartitions(staying) + RolesApart.orderPartitions(leaving);
        double products = RolesApart.productPartitions(staying) + RolesApart.productPartitions(leaving);
        run.extras.put("order_partitions", (int) orders);
        run.extras.put("partitions_of_the_stopped_before", (int) (RolesApart.orderPartitions(leaving)
                + RolesApart.productPartitions(leaving)));
        run.fault();
        RolesApart.stop(run, "projector", leaving, null,
                () -> RolesApart.orderPartitions(staying) == orders && RolesApart.productPartitions(staying) == products);
        // the load goes on against the one instance left for a while before the heal is marked
        Instances.sleep(5000);
        run.heal();
    }
}
