package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Replays one scenario under one policy on a simulated clock, one tick per second. Every policy gets the same group:
 * the same member start times, the same metric delay, the same drain, the same warm pool.
 *
 * <pre>
 *  tick t: starting members whose start time has passed join rotation; drained members go
 *          capacity = ready × vCPUs; served = min(demand, capacity); demand > capacity: a violation second
 *          every period: the policy sees served CPU (percent, summed) averaged over its window, metricDelayS old
 *          ─► plan: launch (a warm member if the pool has one, else cold) / remove (starting: gone; ready: drains)
 * </pre>
 *
 * <p>Counted: an <i>action</i> is an evaluation that launches or removes members; a <i>flap</i> is an action whose
 * direction reverses the previous action's less than {@value #FLAP_S} s after it. VM hours count members that exist
 * (starting, in rotation, draining) and warm members while they are being built; stopped warm members are counted
 * apart as {@code warm_hours}.
 */
final class GroupSim {
    static final int FLAP_S = 300;

    private GroupSim() {}

    /** Members in rotation at t = 0 for every policy: what the target asks for the first demand. */
    static int initial(Scenario s, SimParams p) {
        int n = (int) Math.ceil(s.at(0) / p.memberVcpus() / (p.targetCpu() / 100) - 1e-9);
        return Math.max(p.min(), Math.min(p.max(), n));
    }

    private static final class SimMember {
        final String name;
        Member.State state;
        double until; // STARTING: when it joins rotation; DRAINING: when it is gone

        SimMember(String name, Member.State state, double until) {
            this.name = name;
            this.state = state;
            this.until = until;
        }
    }

    static ScenarioResult run(Scenario s, SimParams p, BiFunction<SimParams, Integer, ScalingPolicy> factory) {
        int init = initial(s, p);
        ScalingPolicy policy = factory.apply(p, init);
        var members = new ArrayList<SimMember>();
        int next = 0;
        for (; next < init; next++) members.add(new SimMember("m-" + next, Member.State.READY, 0));
        int pool = Math.min(p.warm(), p.max() - init);
        var building = new ArrayList<Double>(); // warm members being built: when each is stopped and ready in the pool
        int len = s.lengthS();
        double[] served = new double[len];
        long violation = 0, actions = 0, flaps = 0, warmStarts = 0, coldStarts = 0;
        double vmSeconds = 0, warmSeconds = 0;
        int lastDir = 0, lastActionT = -FLAP_S - 1, maxMembers = init;
        for (int t = 0; t < len; t++) {
            for (var it = members.iterator(); it.hasNext(); ) {
                SimMember m = it.next();
                if (m.state == Member.State.STARTING && m.until <= t) m.state = Member.State.READY;
                if (m.state == Member.State.DRAINING && m.until <= t) it.remove();
            }
            for (var it = building.iterator(); it.hasNext(); ) {
                if (it.next() <= t) {
                    it.remove();
                    pool++;
                }
            }
            int ready = (int) members.stream().filter(m -> m.state == Member.State.READY).count();
            double capacity = (double) ready * p.memberVcpus();
            double demand = s.at(t);
            served[t] = Math.min(demand, capacity);
            if (demand > capacity + 1e-9) violation++;
            vmSeconds += members.size() + building.size();
            warmSeconds += pool;

            if (t % policy.periodS() == 0 && t > 0) {
                Double load = observe(served, t, p.metricDelayS(), policy.windowS(), p.memberVcpus());
                var view = members.stream().map(m -> new Member(m.name, m.state)).toList();
                Plan plan = policy.evaluate(new Observation(t, view, load));
                var gone = new HashSet<>(plan.remove());
                for (var it = members.iterator(); it.hasNext(); ) {
                    SimMember m = it.next();
                    if (!gone.contains(m.name) || m.state == Member.State.DRAINING) continue;
                    if (m.state == Member.State.STARTING) it.remove();
                    else {
                        m.state = Member.State.DRAINING;
                        m.until = t + p.drainS();
                    }
                }
                int launch = Math.min(plan.launch(), p.max() - members.size()); // the simulated group refuses past max too
                for (int i = 0; i < launch; i++) {
                    boolean warm = pool > 0;
                    if (warm) pool--;
                    if (warm) warmStarts++;
                    else coldStarts++;
                    members.add(new SimMember("m-" + next++, Member.State.STARTING, t + (warm ? p.warmStartS() : p.coldStartS())));
                }
                int dir = launch > 0 ? 1 : gone.isEmpty() ? 0 : -1;
                if (dir != 0) {
                    actions++;
                    if (lastDir != 0 && dir != lastDir && t - lastActionT < FLAP_S) flaps++;
                    lastDir = dir;
                    lastActionT = t;
                }
                // launches take room from the pool first: the group's VMs, warm ones included, never pass max
                while (members.size() + pool + building.size() > p.max()) {
                    if (!building.isEmpty()) building.removeLast();
                    else pool--;
                }
                maxMembers = Math.max(maxMembers, members.size() + pool + building.size());
            }
            // the pool refills to warm, never past max counting every member and every warm one
            while (pool + building.size() < p.warm() && members.size() + pool + building.size() < p.max()) {
                building.add(t + p.coldStartS());
            }
        }
        return new ScenarioResult(s.name(), violation, vmSeconds / 3600, warmSeconds / 3600, actions, flaps, coldStarts, warmStarts, maxMembers);
    }

    /** CPU percent summed over the group, averaged over [t − delay − window, t − delay); null before any of it. */
    static Double observe(double[] served, int t, int delay, int window, int vcpus) {
        int end = t - delay, start = Math.max(0, end - window);
        if (end <= 0) return null;
        double sum = 0;
        for (int i = start; i < end; i++) sum += served[i];
        return sum / (end - start) / vcpus * 100;
    }

    static List<BiFunction<SimParams, Integer, ScalingPolicy>> policies() {
        return List.of(PolyvisorTracking::new, Hpa::new, AwsTargetTracking::new, OneFlow::new);
    }
}
