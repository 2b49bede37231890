package io.polyvisor.networks;

import io.polyvisor.drivers.Connections;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.VmNetworking;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * NICs plugged into and unplugged from an existing VM ({@code vm attach-nic|detach-nic}). The NIC gets its MAC and
 * address as at create, in the same transaction as the VM's spec (the address is the database's to give: of two
 * attaches asking for one address, one wins). Then, if the VM is on a host, the network is ensured and the VM's
 * firewall applied there and the NIC hot-plugged (live when the VM runs, into its definition when it is stopped). If
 * the host refuses, the spec and the address are put back as they were: nothing is left half made. A detach unplugs
 * first, then frees the address.
 */
final class NicRequests {
    static final int MAX_NICS = 8;

    private final Store store;
    private final Journal journal;
    private final Function<String, Vm> vms;
    private final VmUpdates updates;
    private final VmNetworking networking;
    private final Connections conns;

    NicRequests(Store store, Journal journal, Function<String, Vm> vms, VmUpdates updates, VmNetworking networking, Connections conns) {
        this.store = store;
        this.journal = journal;
        this.vms = vms;
        this.updates = updates;
        this.networking = networking;
        this.conns = conns;
    }

    /** The VM named (or with the UUID) {@code ref}, or a not-found refusal. */
    io.polyvisor.model.Vm vm(String ref) {
        return vms.apply(ref);
    }

    /** Plugs a NIC on {@code requested.network()} (MAC and address as given, else chosen) into the VM; returns it as stored. */
    Nic attach(String vmRef, Nic requested) {
        InvalidInput.require(requested.privateNetwork(), "only NICs on private networks can be attached or detached");
        Vm vm = vms.apply(vmRef);
        requireSettled(vm, "attached");
        Nic[] made = new Nic[1];
        Vm after = updates.update(vm.id(), current -> {
            requireSettled(current, "attached");
            var nics = new ArrayList<>(current.spec().nics());
            if (nics.stream().anyMatch(n -> n.network().equals(requested.network()))) {
                throw Refusal.conflict("vm " + current.name() + " already has a NIC on network " + requested.network());
            }
            if (nics.size() >= MAX_NICS) throw Refusal.conflict("vm " + current.name() + " has " + nics.size() + " NICs, the most a VM can have");
            made[0] = networking.assign(store, current.id(), current.project(), VmSpec.of(1, VmSpec.MIN_MEMORY).withNics(List.of(requested))).nics().get(0);
            nics.add(made[0]);
            return new Vm(current.id(), current.name(), current.spec().withNics(nics), current.labels(), current.protection(),
                    current.priority(), current.intent(), current.state(), current.host(), current.project());
        }, (tx, before, changed) -> {
            tx.reserveAddress(made[0].network(), made[0].ip(), made[0].mac(), changed.id());
            journal.record(tx, NetworksEvent.NIC_ATTACHED, changed.name(), changed.name() + ": NIC " + made[0].mac() + " on " + made[0].network()
                    + " at " + made[0].ip());
        }).orElseThrow(() -> Refusal.notFound("vm " + vmRef + " not found"));
        journal.signal();
        try {
            host(after).ifPresent(h -> {
                networking.prepare(after, h);
                if (h.compute().lookup(after.id()).isPresent()) h.networking().attachNic(after.id(), made[0]);
            });
        } catch (RuntimeException e) {
            undo(after.id(), made[0]);
            throw e;
        }
        return made[0];
    }

    /** Unplugs the VM's NIC with {@code mac} and frees its address; returns the NIC it was. */
    Nic detach(String vmRef, String mac) {
        Vm vm = vms.apply(vmRef);
        Nic nic = vm.spec().nics().stream().filter(n -> mac.equals(n.mac())).findFirst()
                .orElseThrow(() -> Refusal.notFound("vm " + vm.name() + " has no NIC with mac " + mac));
        InvalidInput.require(nic.privateNetwork(), "only NICs on private networks can be attached or detached");
        requireSettled(vm, "detached");
        host(vm).ifPresent(h -> {
            if (h.compute().lookup(vm.id()).isPresent()) h.networking().detachNic(vm.id(), nic);
        });
        undo(vm.id(), nic);
        journal.signal();
        return nic;
    }

    /** Takes {@code nic} out of the VM's spec and frees its address, in one transaction. */
    private void undo(java.util.UUID id, Nic nic) {
        updates.update(id, current -> new Vm(current.id(), current.name(),
                current.spec().withNics(current.spec().nics().stream().filter(n -> !nic.mac().equals(n.mac())).toList()), current.labels(),
                current.protection(), current.priority(), current.intent(), current.state(), current.host(), current.project()),
                (tx, before, after) -> {
                    tx.releaseAddress(nic.network(), nic.ip());
                    journal.record(tx, NetworksEvent.NIC_DETACHED, after.name(), after.name() + ": NIC " + nic.mac() + " off " + nic.network());
                });
    }

    private Optional<HostConnection> host(Vm vm) {
        return vm.host() == null ? Optional.empty() : Optional.of(conns.get(vm.host()));
    }

    /** NICs change only on a VM at rest: running, paused or stopped, never mid-create, mid-migration or failed. */
    private static void requireSettled(Vm vm, String what) {
        boolean settled = vm.state() instanceof VmState.Running || vm.state() instanceof VmState.Stopped || vm.state() instanceof VmState.Paused;
        if (!settled) {
            throw Refusal.conflict("vm " + vm.name() + " is " + vm.state().label() + "; a NIC can be " + what + " only while it is running, paused or stopped");
        }
    }
}
