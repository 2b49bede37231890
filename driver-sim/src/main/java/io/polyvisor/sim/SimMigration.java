package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.Migration;
import io.polyvisor.spi.MigrationResult;
import io.polyvisor.spi.PowerState;

import java.time.Duration;
import java.util.UUID;
import java.util.function.DoubleConsumer;

/**
 * Live migration between hosts of one data centre, taking the time of a {@link PreCopy} plan on the clock.
 * The destination reserves the VM's memory up front (memory is a hard limit). The VM keeps running on the source
 * while memory is copied; the calling thread sleeps in steps of at most {@link #STEP}, checking after each step
 * that both hosts are up and the VM still runs, and reporting progress. On failure the VM stays on the source.
 */
final class SimMigration implements Migration {
    static final Duration STEP = Duration.ofMillis(100);

    private final SimConnection conn;

    SimMigration(SimConnection conn) {
        this.conn = conn;
    }

    private record Started(SimVm vm, SimHost dst, PreCopy plan) {}

    @Override
    public MigrationResult migrate(UUID id, HostConnection destination, DoubleConsumer progress) {
        conn.requireOpen();
        var dc = conn.dc;
        var src = conn.host;
        if (!(destination instanceof SimConnection to) || to.dc != dc) {
            throw new DriverException("cannot migrate to " + destination.uri() + ": not a host of sim data centre " + dc.name());
        }
        to.requireOpen();
        var started = dc.call(src, Operation.MIGRATE, () -> begin(src, to.host, id));
        var vm = started.vm;
        var plan = started.plan;
        try {
            progress.accept(0.0);
            long totalNanos = plan.total().toNanos();
            long done = 0;
            while (done < totalNanos) {
                long step = Math.min(STEP.toNanos(), totalNanos - done);
                dc.clock().sleep(Duration.ofNanos(step));
                done += step;
                dc.locked(() -> {
                    check(src, started.dst, vm);
                    return null;
                });
                if (done < totalNanos) progress.accept((double) done / totalNanos);
            }
            dc.locked(() -> {
                check(src, started.dst, vm);
                finish(src, started.dst, vm);
                return null;
            });
        } catch (RuntimeException e) {
            dc.locked(() -> {
                vm.migrating = false;
                if (started.dst.incoming != null) started.dst.incoming.remove(id);
                return null;
            });
            throw e;
        } finally {
            dc.deliver();
        }
        progress.accept(1.0);
        return new MigrationResult(plan.total().toMillis(), plan.downtime().toMillis(), plan.bytes());
    }

    /** Under the lock: checks the VM and the destination, reserves memory there and plans the copy. */
    private Started begin(SimHost src, SimHost dst, UUID id) {
        var vm = src.require(id);
        if (dst == src) throw new DriverException("vm " + vm.name + " already runs on sim host " + src.name);
        if (!vm.live()) throw new DriverException("vm " + vm.name + " is " + SimHost.label(vm.state) + ", so it cannot be live-migrated");
        if (vm.migrating) throw new DriverException("vm " + vm.name + " is already migrating", true, null);
        dst.requireUp();
        if (dst.vms.containsKey(id)) throw new DriverException("vm " + vm.name + " is already defined on sim host " + dst.name);
        dst.requireNetworks(vm.nics, vm.name);
        long free = dst.freeBytes();
        if (vm.memoryBytes > free) {
            throw new DriverException("not enough memory on sim host " + dst.name + " to migrate vm " + vm.name + ": needs "
                    + Sizes.format(vm.memoryBytes) + ", " + Sizes.format(Math.max(0, free)) + " free");
        }
        if (vm.volumes != null) {
            // block migration: the VM's volumes are copied into the destination's pool
            long disks = 0;
            for (String v : vm.volumes) {
                String shared = vm.shared.get(v);
                if (shared == null) disks += src.pool().volumes.get(v).capacityBytes();
                else if (dst.holding(shared, v) == null) {
                    throw new DriverException("vm " + vm.name + "'s volume " + v + " is in shared pool " + shared
                            + ", which sim host " + dst.name + " has not declared");
                }
            }
            dst.pool().requireRoom(disks, "the volumes of vm " + vm.name);
        }
        if (dst.incoming == null) dst.incoming = new java.util.HashMap<>(4);
        dst.incoming.put(id, vm.memoryBytes);
        vm.migrating = true;
        var s = src.dc.settings();
        long dirty = vm.state == PowerState.RUNNING ? vm.dirtyBytesPerSec : 0;
        return new Started(vm, dst, PreCopy.plan(vm.memoryBytes, dirty, s.migrationBytesPerSecond(), s.maxDowntime(), s.maxPrecopyRounds()));
    }

    private static void check(SimHost src, SimHost dst, SimVm vm) {
        src.requireUp();
        if (src.vms.get(vm.id) != vm || !vm.live()) {
            throw new DriverException("vm " + vm.name + " stopped on sim host " + src.name + " during migration");
        }
        if (dst.health != HostHealth.UP) {
            throw new DriverException("migration of vm " + vm.name + " failed: sim host " + dst.name + " became unreachable", true, null);
        }
    }

    /** Under the lock: the VM leaves the source (definition included) and runs on the destination. */
    private static void finish(SimHost src, SimHost dst, SimVm vm) {
        dst.incoming.remove(vm.id);
        var moved = new SimVm(vm.id, vm.name, vm.vcpus, vm.memoryBytes);
        moved.guestData = vm.guestData;
        moved.boots = vm.boots;
        moved.bootMillis = vm.bootMillis;
        moved.load = vm.load;
        moved.dirtyBytesPerSec = vm.dirtyBytesPerSec;
        moved.volumes = vm.volumes;
        moved.shared.putAll(vm.shared);
        if (vm.volumes != null) {
            for (String v : vm.volumes) if (!vm.shared.containsKey(v)) dst.pool().volumes.put(v, src.pool().volumes.remove(v));
            var snapshots = src.pool().snapshots.remove(vm.id);
            if (snapshots != null) dst.pool().snapshots.put(vm.id, snapshots);
        }
        moved.nics = vm.nics;
        src.vms.remove(vm.id);
        src.committedBytes -= vm.memoryBytes;
        vm.migrating = false;
        dst.vms.put(moved.id, moved);
        src.dc.emit(src, vm.id, null, "migrated");
        dst.setState(moved, vm.state, "migrated");
    }
}
