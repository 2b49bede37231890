package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A group's members as its guests see them, and the version a membership watch compares. Pure.
 *
 * <p>Members: the VMs of the group's project labelled {@code LABEL=NAME} that are not being deleted, by name. The version is the first
 * 16 hex digits of the SHA-256 of the members' names, hosts, states and addresses: equal memberships have equal versions, so a
 * watcher that passes back the version it last saw wakes exactly when something it can see changed.
 */
public final class Membership {
    private Membership() {}

    /**
     * One member: its name, host (null while unplaced), state label, and its addresses on private networks (a NIC's
     * address is fixed at the VM's create, so a member keeps them through migration and restarts).
     */
    public record Peer(String name, String host, String state, List<NetAddress> addresses) {
        public Peer {
            addresses = List.copyOf(addresses);
        }

        /** This member as seen from a VM on {@code networks}: only its addresses on those networks. */
        public Peer on(java.util.Set<String> networks) {
            return new Peer(name, host, state, addresses.stream().filter(a -> networks.contains(a.network())).toList());
        }
    }

    /** An address of a VM on one private network. */
    public record NetAddress(String network, String ip) {}

    /** The private-network addresses of {@code vm}, in NIC order (NICs still without one left out). */
    public static List<NetAddress> addresses(Vm vm) {
        return vm.spec().nics().stream().filter(n -> n.privateNetwork() && n.ip() != null).map(n -> new NetAddress(n.network(), n.ip())).toList();
    }

    public record View(List<Peer> members, String version) {}

    public static View of(String label, CoordGroup group, List<Vm> vms) {
        List<Peer> members = vms.stream()
                .filter(v -> group.labels(v, label))
                .filter(v -> v.intent() != PowerIntent.DELETED && !(v.state() instanceof VmState.Deleted))
                .sorted(Comparator.comparing(Vm::name))
                .map(v -> new Peer(v.name(), v.host(), v.state().label(), addresses(v)))
                .toList();
        return new View(members, version(members));
    }

    static String version(List<Peer> members) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            for (Peer m : members) {
                sha.update((m.name() + "\u0000" + m.host() + "\u0000" + m.state() + "\u0000" + m.addresses() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A version as a client passes it back: 16 lower-case hex digits. */
    public static String requireVersion(String v) {
        InvalidInput.require(v != null && v.matches("[0-9a-f]{16}"), "index must be a membership version (16 hex digits) from an earlier answer");
        return v;
    }

    /** A metric name a guest pushes: 1 to 63 of letters, digits and '_', starting with a letter. */
    public static String metricName(String name) {
        InvalidInput.require(name != null && name.matches("[A-Za-z][A-Za-z0-9_]{0,62}"),
                "metric name must be 1 to 63 letters, digits or '_', starting with a letter");
        return name;
    }
}
