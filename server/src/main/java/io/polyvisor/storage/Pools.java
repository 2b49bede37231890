package io.polyvisor.storage;

import io.polyvisor.disk.SharedPool;
import io.polyvisor.disk.StorageNames;
import io.polyvisor.disk.Volume;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Names;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Storage;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Shared pools ({@link SharedPool}): declared with the hosts that mount the directory, like Proxmox's
 * {@code pvesm add dir NAME --path DIR --shared 1 --nodes h1,h2}. A declaration is checked on the hosts before it is
 * recorded: each host makes (or finds) its libvirt pool at the path, then a probe volume made through the first host
 * must be seen through every other, so a host that does not really mount the directory is named and refused.
 * Serialised, like volumes.
 */
final class Pools {
    /** The probe volume's name: a volume name users cannot collide with while a declaration runs (checked first). */
    static final String PROBE_PREFIX = "pool-probe-";

    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;

    Pools(Store store, Journal journal, HostStorage hosts) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
    }

    List<SharedPool> all() {
        return store.pools();
    }

    SharedPool find(String name) {
        return hosts.pool(StorageNames.pool(name));
    }

    synchronized SharedPool create(SharedPool p) {
        for (String h : p.hosts()) requireHost(h);
        if (store.pools().stream().anyMatch(x -> x.name().equals(p.name()))) throw Refusal.conflict("a pool named " + p.name() + " already exists");
        for (var other : store.pools()) {
            if (other.path().equals(p.path())) throw Refusal.conflict("pool " + other.name() + " is already at " + p.path());
        }
        check(p, p.hosts());
        store.inTransaction(tx -> {
            tx.insertPool(p);
            journal.record(tx, StorageEvent.POOL_CREATED, p.name(), "shared pool " + p.name() + " at " + p.path() + " declared on hosts "
                    + String.join(", ", p.hosts()));
            return null;
        });
        return p;
    }

    /** Declares the pool on one more host (which must see its files); idempotent. */
    synchronized SharedPool addHost(String name, String host) {
        SharedPool p = find(name);
        Names.requireName("host", host);
        requireHost(host);
        if (p.hosts().contains(host)) return p;
        check(p, List.of(host));
        var hostsNow = new ArrayList<>(p.hosts());
        hostsNow.add(host);
        SharedPool next = new SharedPool(p.name(), p.path(), hostsNow);
        store.inTransaction(tx -> {
            tx.updatePoolHosts(next);
            journal.record(tx, StorageEvent.POOL_CHANGED, p.name(), "shared pool " + p.name() + " declared on host " + host);
            return null;
        });
        return next;
    }

    /** Takes the pool off one host: refused while a VM there uses a volume of it, and for its last host. */
    synchronized SharedPool removeHost(String name, String host) {
        SharedPool p = find(name);
        Names.requireName("host", host);
        if (!p.hosts().contains(host)) throw Refusal.notFound("host " + host + " does not declare pool " + p.name());
        if (p.hosts().size() == 1) {
            throw Refusal.conflict("host " + host + " is the last host of pool " + p.name() + "; delete the pool instead");
        }
        var users = new ArrayList<String>();
        for (Vm vm : store.vms()) {
            if (vm.state() instanceof VmState.Deleted || !host.equals(vm.host())) continue;
            if (vm.spec().disks().stream().anyMatch(d -> p.name().equals(d.pool()))) users.add(vm.name());
        }
        if (!users.isEmpty()) {
            throw Refusal.conflict("host " + host + " runs VMs with disks in pool " + p.name() + " (" + String.join(", ", users)
                    + "); move them first");
        }
        var hostsNow = new ArrayList<>(p.hosts());
        hostsNow.remove(host);
        SharedPool next = new SharedPool(p.name(), p.path(), hostsNow);
        store.inTransaction(tx -> {
            tx.updatePoolHosts(next);
            journal.record(tx, StorageEvent.POOL_CHANGED, p.name(), "shared pool " + p.name() + " no longer declared on host " + host);
            return null;
        });
        return next;
    }

    /** Deletes the declaration (the directory and the hosts' libvirt pools stay as they are); refused while it holds volumes. */
    synchronized void delete(String name) {
        SharedPool p = find(name);
        var held = store.volumes().stream().filter(v -> p.name().equals(v.pool())).map(Volume::name).toList();
        if (!held.isEmpty()) {
            throw Refusal.conflict("pool " + p.name() + " holds volumes (" + String.join(", ", held.subList(0, Math.min(5, held.size())))
                    + (held.size() > 5 ? ", ..." : "") + "); delete them first");
        }
        store.inTransaction(tx -> {
            tx.deletePool(p.name());
            journal.record(tx, StorageEvent.POOL_DELETED, p.name(), "shared pool " + p.name() + " deleted");
            return null;
        });
    }

    private void requireHost(String h) {
        if (store.host(h).isEmpty()) throw Refusal.notFound("host " + h + " not found");
    }

    /**
     * Each of {@code joining} makes (or finds) its pool at the path; then a probe volume made through one host of the pool
     * must be visible through each joining host (and through the first when it is itself joining, via another).
     */
    private void check(SharedPool p, List<String> joining) {
        for (String h : joining) hosts.sharedOn(h, p, "declare pool " + p.name(), Storage::pool);
        String via = p.hosts().stream().filter(h -> !joining.contains(h)).findFirst().orElse(joining.get(0));
        String probe = PROBE_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        if (store.volume(probe).isPresent()) throw new IllegalStateException("probe volume name " + probe + " is taken; try again");
        hosts.sharedOn(via, p, "write a probe volume in pool " + p.name(), s -> s.createVolume(probe, io.polyvisor.model.Sizes.MiB, null));
        try {
            for (String h : joining) {
                if (h.equals(via)) continue;
                boolean seen = hosts.sharedOn(h, p, "look for the probe volume in pool " + p.name(), s -> s.volume(probe).isPresent());
                if (!seen) {
                    throw Refusal.conflict("host " + h + " does not see the files of pool " + p.name() + " at " + p.path() + " (a volume made there through host "
                            + via + " is missing): is the directory mounted on " + h + "?");
                }
            }
        } finally {
            hosts.sharedOn(via, p, "delete the probe volume in pool " + p.name(), s -> {
                s.deleteVolume(probe);
                return null;
            });
        }
    }
}
