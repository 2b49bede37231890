package io.polyvisor.ha;

import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decisions about hot standbys. A standby-protected VM is two rows: the primary (the user's name,
 * protection STANDBY) and its standby (name {@code NAME-standby}, label {@link HaLabels#STANDBY_OF}, its
 * own UUID and domain, never on the primary's host). The service endpoint always points at the primary.
 */
public final class StandbyRollover {
    private StandbyRollover() {}

    /**
     * Whether the standby should take over now: the primary's host is unreachable or worse, or the primary
     * instance crashed, while the standby runs on a healthy host. Returns the reason, or empty.
     */
    public static Optional<String> shouldPromote(Vm primary, Vm standby, HostHealth primaryHost, HostHealth standbyHost,
                                                 boolean primaryCrashed, boolean standbyCrashed) {
        if (!(standby.state() instanceof VmState.Running) || standbyCrashed || !(standbyHost instanceof HostHealth.Healthy)) {
            return Optional.empty();
        }
        if (primaryCrashed) return Optional.of("primary instance on " + primary.host() + " crashed");
        return switch (primaryHost) {
            case HostHealth.Healthy h -> Optional.empty();
            case HostHealth.Suspect s -> Optional.empty();
            case HostHealth.Rejoining r -> Optional.empty();
            default -> Optional.of("primary host " + primary.host() + " is " + primaryHost.label());
        };
    }

    /**
     * The two rows after a promotion: the standby takes the primary's name, labels, protection and priority
     * (its UUID and host stay its own); the old primary becomes the standby of the new one.
     */
    public static Pair swap(Vm primary, Vm standby) {
        Map<String, String> primaryLabels = new HashMap<>(primary.labels());
        primaryLabels.remove(HaLabels.STANDBY_OF);
        Map<String, String> standbyLabels = new HashMap<>(primary.labels());
        standbyLabels.put(HaLabels.STANDBY_OF, standby.id().toString());
        Vm newPrimary = new Vm(standby.id(), primary.name(), standby.spec(), primaryLabels, Protection.STANDBY,
                primary.priority(), standby.intent(), standby.state(), standby.host(), primary.project());
        Vm newStandby = new Vm(primary.id(), standbyName(primary.name()), primary.spec(), standbyLabels, Protection.NONE,
                primary.priority(), primary.intent(), primary.state(), primary.host(), primary.project());
        return new Pair(newPrimary, newStandby);
    }

    /** A new standby row for {@code primary}, not yet placed. */
    public static Vm newStandby(Vm primary, UUID id) {
        Map<String, String> labels = new HashMap<>(primary.labels());
        labels.put(HaLabels.STANDBY_OF, primary.id().toString());
        return new Vm(id, standbyName(primary.name()), primary.spec(), labels, Protection.NONE, primary.priority(),
                primary.intent(), VmState.PENDING, null, primary.project());
    }

    /** {@code NAME-standby}, with NAME cut so the result stays a valid 63-character name. */
    public static String standbyName(String primaryName) {
        String base = primaryName.length() <= 55 ? primaryName : primaryName.substring(0, 55).replaceAll("-+$", "");
        return base + "-standby";
    }

    /** The priority a standby restarts with: its primary's. */
    static Priority priorityOf(Vm vm) {
        return vm.priority();
    }

    public record Pair(Vm primary, Vm standby) {}
}
