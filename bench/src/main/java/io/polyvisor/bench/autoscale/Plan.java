package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

import java.util.ArrayList;
import java.util.List;

/** What a policy asks of the simulated group at one evaluation: members to launch and members (by name) to remove. */
record Plan(int launch, List<String> remove) {
    static final Plan NONE = new Plan(0, List.of());

    /**
     * The plan that brings the members in rotation or starting to {@code desired}, for the reference policies: launch
     * the difference (never past max counting every member), or remove starting members first, then the newest ready.
     */
    static Plan toward(int desired, Observation o, int max) {
        int active = o.count(Member.State.READY) + o.count(Member.State.STARTING);
        if (desired > active) return new Plan(Math.max(0, Math.min(desired - active, max - o.members().size())), List.of());
        var out = new ArrayList<String>();
        for (Member.State st : new Member.State[] {Member.State.STARTING, Member.State.READY}) {
            for (Member m : o.members().reversed()) if (m.state() == st && out.size() < active - desired) out.add(m.name());
        }
        return new Plan(0, out);
    }
}
