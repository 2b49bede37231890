package io.polyvisor.api;

import io.polyvisor.access.Principal;
import io.polyvisor.access.Role;
import io.polyvisor.model.Event;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which events one caller's stream carries. An admin: every event. Any other role: the {@code vm.*} and {@code task.*}
 * events whose subject is a VM of a project it sees, and nothing else (hosts, HA, networks, users... stay admin-only).
 * The VMs' projects by name are read once, in bulk, at the first event that needs one ({@code everyVm}: every VM row,
 * deleted ones too; a live VM's name wins over deleted ones of the same name) and kept for the stream, so a VM's own
 * {@code vm.deleted} still reaches the viewers who saw it; a name not known then, or named by a {@code vm.created}
 * (a name freed by a delete may be taken in another project), is looked up alone ({@code projectOfVm}).
 */
final class EventVisibility {
    private final Principal who;
    private final Supplier<List<Vm>> everyVm;
    private final Function<String, Optional<String>> projectOfVm;
    private Map<String, Optional<String>> projects;

    EventVisibility(Principal who, Supplier<List<Vm>> everyVm, Function<String, Optional<String>> projectOfVm) {
        this.who = who;
        this.everyVm = everyVm;
        this.projectOfVm = projectOfVm;
    }

    boolean sees(Event e) {
        if (who.role() == Role.ADMIN) return true;
        if (e.subject() == null || !(e.type().startsWith("vm.") || e.type().startsWith("task."))) return false;
        if (projects == null) projects = byName(everyVm.get());
        if (e.type().equals("vm.created")) projects.remove(e.subject());
        return projects.computeIfAbsent(e.subject(), projectOfVm).filter(who::sees).isPresent();
    }

    private static Map<String, Optional<String>> byName(List<Vm> vms) {
        var out = new HashMap<String, Optional<String>>();
        for (Vm vm : vms) {
            if (!(vm.state() instanceof VmState.Deleted) || !out.containsKey(vm.name())) out.put(vm.name(), Optional.of(vm.project()));
        }
        return out;
    }
}
