package io.polyvisor.api;

import io.polyvisor.access.Owned;
import io.polyvisor.access.Principal;
import io.polyvisor.access.Role;
import io.polyvisor.model.Event;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which events one caller's stream carries. An admin: every event. Any other role: the events whose subject belongs to
 * a project it sees, of these kinds only (hosts, HA, users, projects, settings, images, pools, security groups... stay
 * admin-only):
 * <pre>
 *   vm.*, task.*, snapshot.*, nic.*   subject: a VM         network.*  subject: a network
 *   volume.*                          subject: a volume     group.*    subject: a group
 * </pre>
 * The projects of a kind's subjects are read once, in bulk, at the first event of that kind, and kept for the stream,
 * so an object's own deletion (after which its row or owner is gone) still reaches the viewers who saw it. For VMs that
 * is every VM row, deleted ones too (a live VM's name wins over deleted ones of the same name); for the others the
 * recorded owners. A name not known then, or named by its kind's {@code *.created} event (a name freed by a delete may
 * be taken in another project), is looked up alone: an object that no longer exists then is seen by nobody but admins.
 */
final class EventVisibility {
    /** Where the projects of subjects are read. */
    interface Projects {
        /** Every VM row, deleted ones too. */
        List<Vm> everyVm();

        /** The project of the live VM named {@code name}, if there is one. */
        Optional<String> ofVm(String name);

        /** The project recorded for each object of {@code kind}, by name (objects with none belong to {@code default}). */
        Map<String, String> owners(Owned kind);

        /** The project of the existing object {@code kind}/{@code name}; empty if there is none. */
        Optional<String> of(Owned kind, String name);
    }

    /** What an event type is about, for callers other than admins; null: admin-only. */
    private sealed interface Subject {
        record AVm() implements Subject {}

        record AnObject(Owned kind) implements Subject {}
    }

    private static final Subject VM = new Subject.AVm();

    private final Principal who;
    private final Projects source;
    private final Map<Subject, Map<String, Optional<String>>> known = new HashMap<>();

    EventVisibility(Principal who, Projects source) {
        this.who = who;
        this.source = source;
    }

    boolean sees(Event e) {
        if (who.role() == Role.ADMIN) return true;
        Subject about = subject(e.type());
        if (e.subject() == null || about == null) return false;
        var projects = known.computeIfAbsent(about, this::bulk);
        if (e.type().equals(prefix(about) + "created")) projects.remove(e.subject());
        return projects.computeIfAbsent(e.subject(), name -> single(about, name)).filter(who::sees).isPresent();
    }

    private static Subject subject(String type) {
        for (String vm : List.of("vm.", "task.", "snapshot.", "nic.")) if (type.startsWith(vm)) return VM;
        for (Owned kind : Owned.values()) if (type.startsWith(kind.label() + ".")) return new Subject.AnObject(kind);
        return null;
    }

    /** The prefix of the event types that create a subject of this kind ({@code vm.created}, {@code network.created}...). */
    private static String prefix(Subject about) {
        return switch (about) {
            case Subject.AVm v -> "vm.";
            case Subject.AnObject(Owned kind) -> kind.label() + ".";
        };
    }

    private Map<String, Optional<String>> bulk(Subject about) {
        var out = new HashMap<String, Optional<String>>();
        switch (about) {
            case Subject.AVm v -> {
                for (Vm vm : source.everyVm()) {
                    if (!(vm.state() instanceof VmState.Deleted) || !out.containsKey(vm.name())) out.put(vm.name(), Optional.of(vm.project()));
                }
            }
            case Subject.AnObject(Owned kind) -> source.owners(kind).forEach((name, project) -> out.put(name, Optional.of(project)));
        }
        return out;
    }

    private Optional<String> single(Subject about, String name) {
        return switch (about) {
            case Subject.AVm v -> source.ofVm(name);
            case Subject.AnObject(Owned kind) -> source.of(kind, name);
        };
    }
}
