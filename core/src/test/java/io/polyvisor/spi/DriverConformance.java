package io.polyvisor.spi;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The SPI contract every driver must pass. A driver's test extends this class and says how to reach a host:
 * <pre>
 * class SimDriverConformanceTest extends DriverConformance {
 *     protected HostConnection connect() { return new SimDriver().connect(URI.create("sim://conf/h1")); }
 *     protected Optional&lt;HostConnection&gt; secondHost() { return Optional.of(... "sim://conf/h2" ...); }
 * }
 * </pre>
 * Optional capability groups are checked when {@link HostConnection#capabilities()} offers them, and
 * {@link #capabilitiesMatchWhichGroupsAreUnsupported()} checks that absent ones throw {@link Unsupported}.
 * Migration needs {@link #secondHost()}; without one the migration tests are reported as skipped (never passed).
 *
 * <p>Real drivers are asynchronous (events, stats, ACPI shutdown), so state is awaited with bounded polling
 * ({@link #timeout()}). Each test defines its VMs with fresh UUIDs and names {@code conf-XXXXXXXX}, and
 * destroys and undefines them afterwards whatever the outcome.
 */
public abstract class DriverConformance {

    /** A fresh connection to the host under test; called before each test and closed after it. */
    protected abstract HostConnection connect();

    /** A second host of the same driver, for migration; called at most once per test and closed after it. */
    protected Optional<HostConnection> secondHost() {
        return Optional.empty();
    }

    /** A spec the host can really boot (the libvirt driver supplies a kernel and initrd). */
    protected VmSpec bootableSpec() {
        return VmSpec.of(1, 64 * Sizes.MiB);
    }

    /** Upper bound for anything awaited: a state change, an event, a stats figure. */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * Whether the guest of {@link #bootableSpec()} powers off on ACPI shutdown. Return false only for a guest
     * that has no ACPI handler; {@link #shutdownAsksTheGuestToPowerOff()} then checks just that the call succeeds.
     */
    protected boolean guestHonoursShutdown() {
        return true;
    }

    protected HostConnection host;
    private HostConnection second;
    private final Set<UUID> created = new LinkedHashSet<>();

    @BeforeEach
    void openHost() {
        host = connect();
    }

    @AfterEach
    void cleanUp() {
        try {
            for (var c : connectionsInUse()) {
                for (var id : created) removeIfPresent(c, id);
            }
        } finally {
            for (var c : connectionsInUse()) c.close();
        }
    }

    // ---- host facts and capabilities ------------------------------------------------------------------------

    @Test
    void connectionDescribesItsHost() {
        assertThat(host.uri()).isNotNull();
        assertThat(host.driver()).isNotBlank();
        assertThat(host.alive()).isTrue();
        var info = host.info();
        assertThat(info.cpus()).isPositive();
        assertThat(info.memoryBytes()).isPositive();
        assertThat(host.capabilities()).contains(Capability.COMPUTE);
    }

    @Test
    void capabilitiesMatchWhichGroupsAreUnsupported() {
        for (var cap : EnumSet.complementOf(EnumSet.of(Capability.COMPUTE))) {
            if (host.capabilities().contains(cap)) {
                assertThat(group(cap)).as("%s is offered, so its accessor returns it", cap).isNotNull();
            } else {
                var e = assertThrows(Unsupported.class, () -> group(cap), cap + " is not offered, so Unsupported");
                assertThat(e.capability()).isEqualTo(cap);
                assertThat(e.driver()).isEqualTo(host.driver());
                assertThat(e.retryable()).isFalse();
            }
        }
        assertThat(host.compute()).isNotNull();
    }

    // ---- compute lifecycle -------------------------------------------------------------------------------------

    @Test
    void defineCreatesAStoppedVmVisibleInLookupAndList() {
        var spec = bootableSpec();
        var id = UUID.randomUUID();
        var name = newName();
        var info = define(host, id, name, spec);
        assertThat(info).isEqualTo(new DomainInfo(id, name, PowerState.SHUTOFF, spec.vcpus(), spec.memoryBytes()));
        assertThat(host.compute().lookup(id)).contains(info);
        assertThat(host.compute().list()).contains(info);
    }

    @Test
    void startRunsTheVmAndDestroyPowersItOff() {
        var id = defineNew();
        host.compute().start(id);
        awaitState(host, id, PowerState.RUNNING);
        assertThat(host.compute().list()).anyMatch(d -> d.id().equals(id) && d.state() == PowerState.RUNNING);
        host.compute().destroy(id);
        assertThat(stateOf(host, id)).isEqualTo(PowerState.SHUTOFF);
    }

    @Test
    void shutdownAsksTheGuestToPowerOff() {
        var id = startNew();
        host.compute().shutdown(id);
        if (guestHonoursShutdown()) awaitState(host, id, PowerState.SHUTOFF);
    }

    @Test
    void suspendPausesAndResumeRuns() {
        var id = startNew();
        host.compute().suspend(id);
        awaitState(host, id, PowerState.PAUSED);
        host.compute().resume(id);
        awaitState(host, id, PowerState.RUNNING);
    }

    @Test
    void rebootLeavesTheVmRunning() {
        var id = startNew();
        host.compute().reboot(id);
        awaitState(host, id, PowerState.RUNNING);
    }

    @Test
    void undefineRemovesTheDefinition() {
        var id = defineNew();
        host.compute().undefine(id);
        assertThat(host.compute().lookup(id)).isEmpty();
        assertThat(host.compute().list()).noneMatch(d -> d.id().equals(id));
    }

    // ---- idempotency ------------------------------------------------------------------------------------------

    @Test
    void defineTwiceWithTheSameUuidReturnsTheFirstDefinitionUnchanged() {
        var spec = bootableSpec();
        var id = UUID.randomUUID();
        var name = newName();
        var first = define(host, id, name, spec);
        var bigger = VmSpec.of(spec.vcpus() + 1, spec.memoryBytes() * 2);
        var again = host.compute().define(id, name, bigger);
        assertThat(again).isEqualTo(first);
        assertThat(host.compute().lookup(id)).contains(first);
        assertThat(host.compute().list().stream().filter(d -> d.id().equals(id))).hasSize(1);
    }

    @Test
    void startingARunningVmDoesNothing() {
        var id = startNew();
        host.compute().start(id);
        assertThat(stateOf(host, id)).isEqualTo(PowerState.RUNNING);
    }

    @Test
    void destroyingAStoppedVmDoesNothing() {
        var id = defineNew();
        host.compute().destroy(id);
        host.compute().destroy(id);
        assertThat(stateOf(host, id)).isEqualTo(PowerState.SHUTOFF);
    }

    @Test
    void undefiningAnUnknownVmDoesNothing() {
        host.compute().undefine(UUID.randomUUID());
        var id = defineNew();
        host.compute().undefine(id);
        host.compute().undefine(id);
        assertThat(host.compute().lookup(id)).isEmpty();
    }

    // ---- unknown VMs ------------------------------------------------------------------------------------------

    @Test
    void lookupOfAnUnknownVmIsEmpty() {
        assertThat(host.compute().lookup(UUID.randomUUID())).isEmpty();
    }

    @Test
    void operationsOnAnUnknownVmFailWithoutRetry() {
        var c = host.compute();
        var id = UUID.randomUUID();
        List<Executable> calls = List.of(() -> c.start(id), () -> c.shutdown(id), () -> c.destroy(id),
                () -> c.reboot(id), () -> c.suspend(id), () -> c.resume(id));
        for (var call : calls) {
            var e = assertThrows(DriverException.class, call);
            assertThat(e).isNotInstanceOf(Unsupported.class);
            assertThat(e.retryable()).as("unknown VM is not retryable: %s", e.getMessage()).isFalse();
        }
    }

    // ---- events -----------------------------------------------------------------------------------------------

    @Test
    void eventsReportStartAndStop() throws Exception {
        if (!offered(Capability.EVENTS)) return;
        var seen = new CopyOnWriteArrayList<DomainEvent>();
        var id = defineNew();
        try (var ignored = host.events().subscribe(seen::add)) {
            host.compute().start(id);
            await("a RUNNING event for " + id, () -> seen.stream().anyMatch(e -> e.id().equals(id) && e.state() == PowerState.RUNNING));
            host.compute().destroy(id);
            await("a SHUTOFF event for " + id, () -> seen.stream().anyMatch(e -> e.id().equals(id) && e.state() == PowerState.SHUTOFF));
        }
        assertThat(seen).allSatisfy(e -> assertThat(e.at()).isNotNull());
    }

    // ---- stats ------------------------------------------------------------------------------------------------

    @Test
    void statsCoverRunningVmsOnly() {
        if (!offered(Capability.STATS)) return;
        var id = startNew();
        var usage = new java.util.concurrent.atomic.AtomicReference<Usage>();
        await("stats for running VM " + id, () -> {
            usage.set(host.stats().vms().get(id));
            return usage.get() != null;
        });
        assertThat(usage.get().cpuCores()).isGreaterThanOrEqualTo(0);
        assertThat(usage.get().memoryBytes()).isGreaterThanOrEqualTo(0);
        var hostUsage = host.stats().host();
        assertThat(hostUsage.cpuCores()).isGreaterThanOrEqualTo(0);
        assertThat(hostUsage.memoryBytes()).isGreaterThanOrEqualTo(0);
        host.compute().destroy(id);
        await("no stats for stopped VM " + id, () -> !host.stats().vms().containsKey(id));
    }

    // ---- migration ---------------------------------------------------------------------------------------------

    @Test
    void migrationMovesARunningVm() {
        if (!offered(Capability.MIGRATION)) return;
        var dest = requireSecondHost();
        var id = startNew();
        var progress = new CopyOnWriteArrayList<Double>();
        var result = host.migration().migrate(id, dest, progress::add);
        assertThat(result.totalMillis()).isGreaterThanOrEqualTo(0);
        assertThat(result.downtimeMillis()).isBetween(0L, Math.max(result.totalMillis(), 0));
        assertThat(result.bytesTransferred()).isGreaterThanOrEqualTo(0);
        assertThat(host.compute().lookup(id)).as("gone from the source, definition included").isEmpty();
        awaitState(dest, id, PowerState.RUNNING);
        assertThat(progress).as("progress is reported and ends at 1").isNotEmpty().last().isEqualTo(1.0);
        assertThat(progress).allSatisfy(f -> assertThat(f).isBetween(0.0, 1.0)).isSorted();
    }

    @Test
    void migratingAnUnknownVmFailsWithoutRetry() {
        if (!offered(Capability.MIGRATION)) return;
        var dest = requireSecondHost();
        var e = assertThrows(DriverException.class, () -> host.migration().migrate(UUID.randomUUID(), dest, f -> {}));
        assertThat(e.retryable()).isFalse();
    }

    // ---- fencing ----------------------------------------------------------------------------------------------

    @Test
    void fencingAVmPowersItOff() {
        if (!offered(Capability.FENCING)) return;
        var id = startNew();
        host.fencing().fenceVm(id);
        assertThat(host.compute().lookup(id).map(DomainInfo::state))
                .as("a fenced VM no longer runs once fenceVm returns")
                .satisfiesAnyOf(s -> assertThat(s).isEmpty(), s -> assertThat(s).contains(PowerState.SHUTOFF));
        host.fencing().fenceVm(id);
        host.fencing().fenceVm(UUID.randomUUID());
    }

    // ---- guest access -----------------------------------------------------------------------------------------

    @Test
    void guestPortForwardIsIdempotentAndNeedsAKnownVm() throws IOException {
        if (!offered(Capability.GUEST_ACCESS)) return;
        int port = freePort();
        var e = assertThrows(DriverException.class, () -> host.guestAccess().forward(UUID.randomUUID(), port, 80));
        assertThat(e.retryable()).isFalse();
        var id = startNew();
        host.guestAccess().forward(id, port, 80);
        host.guestAccess().forward(id, port, 80);
    }

    // ---- storage ------------------------------------------------------------------------------------------------

    @Test
    void volumesAreIdempotentByNameAndOnlyGrow() {
        if (!offered(Capability.STORAGE)) return;
        var storage = host.storage();
        var pool = storage.pool();
        assertThat(pool.capacityBytes()).isPositive();
        assertThat(pool.availableBytes()).isBetween(0L, pool.capacityBytes());
        String name = newName();
        try {
            var made = storage.createVolume(name, 8 * Sizes.MiB, null);
            assertThat(made.name()).isEqualTo(name);
            assertThat(made.capacityBytes()).isEqualTo(8 * Sizes.MiB);
            assertThat(made.image()).isNull();
            // allocation is what the file takes now (it changes as a guest writes, and as the host reads it again): not compared
            assertThat(storage.createVolume(name, 16 * Sizes.MiB, null)).as("create of an existing name returns it as it is")
                    .usingRecursiveComparison().ignoringFields("allocationBytes").isEqualTo(made);
            assertThat(storage.volumes()).extracting(Storage.VolumeInfo::name).contains(name);
            assertThat(storage.resizeVolume(name, 16 * Sizes.MiB).capacityBytes()).isEqualTo(16 * Sizes.MiB);
            var shrink = assertThrows(DriverException.class, () -> storage.resizeVolume(name, 8 * Sizes.MiB));
            assertThat(shrink.retryable()).isFalse();
            assertThat(storage.volume(name)).map(Storage.VolumeInfo::capacityBytes).contains(16 * Sizes.MiB);
            var copy = storage.copyVolume(name, name + "-copy");
            assertThat(copy.capacityBytes()).isEqualTo(16 * Sizes.MiB);
            assertThat(copy.image()).isNull();
            assertThat(storage.copyVolume(name, name + "-copy")).isEqualTo(copy);
            assertThat(assertThrows(DriverException.class, () -> storage.copyVolume(newName(), newName())).retryable()).isFalse();
        } finally {
            storage.deleteVolume(name);
            storage.deleteVolume(name + "-copy");
        }
        assertThat(storage.volume(name)).isEmpty();
        storage.deleteVolume(name);
    }

    @Test
    void aTemplateImageFromAVolumeBacksLinkedVolumes() {
        if (!offered(Capability.STORAGE)) return;
        var storage = host.storage();
        String volume = newName();
        String image = newName();
        String linked = newName();
        try {
            storage.createVolume(volume, 8 * Sizes.MiB, null);
            assertThat(storage.hasImage(image)).isFalse();
            storage.imageFromVolume(volume, image);
            assertThat(storage.hasImage(image)).isTrue();
            storage.imageFromVolume(volume, image); // idempotent
            storage.deleteVolume(volume);
            var clone = storage.createVolume(linked, 8 * Sizes.MiB, image);
            assertThat(clone.image()).as("a linked volume is copy-on-write over the template's image").isEqualTo(image);
            assertThat(clone.capacityBytes()).isEqualTo(8 * Sizes.MiB);
            assertThat(assertThrows(DriverException.class, () -> storage.imageFromVolume(newName(), newName())).retryable()).isFalse();
        } finally {
            storage.deleteVolume(linked);
            storage.deleteVolume(volume);
            storage.deleteImage(image);
        }
        assertThat(storage.hasImage(image)).isFalse();
    }

    @Test
    void disksAreAttachedToAndDetachedFromAStoppedVmIdempotently() {
        if (!offered(Capability.STORAGE)) return;
        var storage = host.storage();
        String first = newName();
        String second = newName();
        var id = UUID.randomUUID();
        try {
            storage.createVolume(first, 8 * Sizes.MiB, null);
            storage.createVolume(second, 8 * Sizes.MiB, null);
            define(host, id, newName(), bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(first))));
            assertThat(storage.disks(id)).containsExactly(first);
            storage.attachDisk(id, second, "virtio");
            storage.attachDisk(id, second, "virtio");
            assertThat(storage.disks(id)).as("attached once, after the first").containsExactly(first, second);
            assertThat(assertThrows(DriverException.class, () -> storage.attachDisk(id, newName(), "virtio")).retryable()).isFalse();
            storage.detachDisk(id, first);
            storage.detachDisk(id, first);
            assertThat(storage.disks(id)).containsExactly(second);
            assertThat(stateOf(host, id)).isEqualTo(PowerState.SHUTOFF);
        } finally {
            if (host.compute().lookup(id).isPresent()) host.compute().undefine(id);
            storage.deleteVolume(first);
            storage.deleteVolume(second);
        }
    }

    @Test
    void snapshotsOfAStoppedVmWithADiskAreIdempotentByName() {
        if (!offered(Capability.STORAGE)) return;
        var storage = host.storage();
        String volume = newName();
        storage.createVolume(volume, 8 * Sizes.MiB, null);
        try {
            var id = UUID.randomUUID();
            define(host, id, newName(), bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(volume))));
            var s1 = storage.createSnapshot(id, "s1");
            assertThat(s1.name()).isEqualTo("s1");
            assertThat(s1.running()).isFalse();
            assertThat(storage.createSnapshot(id, "s1")).isEqualTo(s1);
            storage.createSnapshot(id, "s2");
            assertThat(storage.snapshots(id)).extracting(Storage.SnapshotInfo::name).containsExactly("s1", "s2");
            storage.revertSnapshot(id, "s1");
            assertThat(stateOf(host, id)).isEqualTo(PowerState.SHUTOFF);
            storage.deleteSnapshot(id, "s2");
            storage.deleteSnapshot(id, "s2");
            assertThat(storage.snapshots(id)).extracting(Storage.SnapshotInfo::name).containsExactly("s1");
            storage.deleteSnapshot(id, "s1");
            host.compute().undefine(id);
        } finally {
            storage.deleteVolume(volume);
        }
    }

    /** The folder of the shared pool the storage tests declare; a driver whose hosts see files of this machine keeps it. */
    protected String sharedPoolPath() {
        return "/var/tmp/polyvisor-conformance-shared";
    }

    @Test
    void aSharedPoolHoldsVolumesThatAVmIsDefinedOverByPoolAndName() {
        if (!offered(Capability.STORAGE)) return;
        String pool = "conf-shared"; // one name for every run: a libvirt host keeps the pool's definition
        var shared = host.storage().shared(pool, sharedPoolPath());
        assertThat(shared.pool().name()).isEqualTo(pool);
        assertThat(host.storage().shared(pool, sharedPoolPath()).pool().name()).as("idempotent").isEqualTo(pool);
        String name = newName();
        try {
            assertThat(shared.createVolume(name, 8 * Sizes.MiB, null).capacityBytes()).isEqualTo(8 * Sizes.MiB);
            assertThat(shared.volume(name)).isPresent();
            assertThat(host.storage().volume(name)).as("not in the host's own pool").isEmpty();
            var local = assertThrows(DriverException.class, () -> define(host, UUID.randomUUID(), newName(),
                    bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(name)))));
            assertThat(local.retryable()).as("the volume is not in the host's own pool").isFalse();
            var missing = assertThrows(DriverException.class, () -> define(host, UUID.randomUUID(), newName(),
                    bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(newName(), pool)))));
            assertThat(missing.retryable()).isFalse();
            var id = UUID.randomUUID();
            define(host, id, newName(), bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(name, pool))));
            assertThat(host.storage().disks(id)).containsExactly(name);
            host.compute().undefine(id);
        } finally {
            shared.deleteVolume(name);
        }
        assertThat(shared.volume(name)).isEmpty();
    }

    @Test
    void aVmCannotBeDefinedOverAMissingVolume() {
        if (!offered(Capability.STORAGE)) return;
        var e = assertThrows(DriverException.class, () -> define(host, UUID.randomUUID(), newName(),
                bootableSpec().withDisks(List.of(io.polyvisor.model.Disk.of(newName())))));
        assertThat(e.retryable()).isFalse();
    }

    // ---- private networks -------------------------------------------------------------------------------------

    @Test
    void aNicNeedsItsNetworkEnsuredFirstAndEnsureIsIdempotent() {
        if (!offered(Capability.NETWORKING)) return;
        assertThat(host.networking().underlay()).as("a host offering networking has an underlay address").isPresent();
        int vni = 16_000_000 + (int) (Math.random() * 700_000);
        var net = new io.polyvisor.network.Network("conf" + (vni % 100_000), io.polyvisor.network.Cidr.parse("10.250.0.0/24"), null, false, vni);
        var base = bootableSpec();
        var spec = new VmSpec(base.vcpus(), base.memoryBytes(), base.boot(),
                java.util.List.of(new io.polyvisor.model.Nic(net.name(), "52:54:00:aa:bb:01", "10.250.0.5")), base.exposePorts());
        try {
            var refused = assertThrows(DriverException.class, () -> define(host, UUID.randomUUID(), newName(), spec));
            assertThat(refused.retryable()).isFalse();
            assertThat(refused.getMessage()).contains("network " + net.name());
            var hn = HostNetwork.of(net, Set.of("192.0.2.7"));
            host.networking().ensure(hn);
            host.networking().ensure(hn);
            assertThat(host.networking().vnis()).contains(vni);
            var id = UUID.randomUUID();
            define(host, id, newName(), spec);
            host.compute().start(id);
            awaitState(host, id, PowerState.RUNNING);
        } finally {
            for (var id : created) removeIfPresent(host, id);
            host.networking().remove(vni);
            host.networking().remove(vni);
        }
        assertThat(host.networking().vnis()).doesNotContain(vni);
    }

    @Test
    void aNicIsPluggedOnlyOnAnEnsuredNetworkAndPlugAndUnplugAreIdempotent() {
        if (!offered(Capability.NETWORKING)) return;
        int vni = 16_000_000 + (int) (Math.random() * 700_000);
        var net = new io.polyvisor.network.Network("plug" + (vni % 100_000), io.polyvisor.network.Cidr.parse("10.251.0.0/24"), null, false, vni);
        var nic = new io.polyvisor.model.Nic(net.name(), "52:54:00:aa:bb:02", "10.251.0.5");
        var id = UUID.randomUUID();
        try {
            define(host, id, newName(), bootableSpec());
            host.compute().start(id);
            awaitState(host, id, PowerState.RUNNING);
            var refused = assertThrows(DriverException.class, () -> host.networking().attachNic(id, nic));
            assertThat(refused.retryable()).isFalse();
            assertThat(refused.getMessage()).contains("network " + net.name());
            host.networking().ensure(HostNetwork.of(net, Set.of("192.0.2.7")));
            host.networking().attachNic(id, nic);
            host.networking().attachNic(id, nic);
            host.networking().detachNic(id, nic);
            host.networking().detachNic(id, nic);
            assertThrows(DriverException.class, () -> host.networking().attachNic(UUID.randomUUID(), nic));
        } finally {
            for (var c : created) removeIfPresent(host, c);
            host.networking().remove(vni);
        }
    }

    // ---- helpers for subclasses and tests -----------------------------------------------------------------------

    /** A name unique to this run, valid for every driver. */
    protected static String newName() {
        return "conf-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Defines a VM on {@code on} and records it for clean-up. */
    protected DomainInfo define(HostConnection on, UUID id, String name, VmSpec spec) {
        created.add(id);
        return on.compute().define(id, name, spec);
    }

    protected UUID defineNew() {
        var id = UUID.randomUUID();
        define(host, id, newName(), bootableSpec());
        return id;
    }

    protected UUID startNew() {
        var id = defineNew();
        host.compute().start(id);
        awaitState(host, id, PowerState.RUNNING);
        return id;
    }

    protected static PowerState stateOf(HostConnection on, UUID id) {
        return on.compute().lookup(id).map(DomainInfo::state)
                .orElseThrow(() -> new AssertionError("VM " + id + " is not defined on " + on.uri()));
    }

    protected void awaitState(HostConnection on, UUID id, PowerState state) {
        await("VM " + id + " to be " + state + " on " + on.uri(),
                () -> on.compute().lookup(id).map(DomainInfo::state).orElse(null) == state);
    }

    /** Polls {@code condition} with growing pauses (10 ms to 200 ms) until it holds or {@link #timeout()} passes. */
    protected void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout().toNanos();
        long pause = 10;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout() + " waiting for " + what);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            pause = Math.min(200, pause * 2);
        }
    }

    /**
     * Whether the driver offers {@code cap}. A capability it does not offer must be refused uniformly, so instead of
     * skipping, the test then checks exactly that: the accessor throws {@link Unsupported} (and nothing more is asked).
     */
    private boolean offered(Capability cap) {
        if (host.capabilities().contains(cap)) return true;
        assertThrows(Unsupported.class, () -> group(cap), cap + " is not offered, so its accessor throws Unsupported");
        return false;
    }

    private HostConnection requireSecondHost() {
        if (second == null) second = secondHost().orElse(null);
        if (second == null) throw new AssertionError(host.driver() + " offers migration but the test gives no second host (override secondHost())");
        return second;
    }

    private Object group(Capability cap) {
        return switch (cap) {
            case COMPUTE -> host.compute();
            case STATS -> host.stats();
            case EVENTS -> host.events();
            case MIGRATION -> host.migration();
            case FENCING -> host.fencing();
            case GUEST_ACCESS -> host.guestAccess();
            case STORAGE -> host.storage();
            case NETWORKING -> host.networking();
            case CONSOLE -> host.serialConsole();
            case DISPLAY -> host.graphicalConsole();
        };
    }

    private List<HostConnection> connectionsInUse() {
        var list = new ArrayList<HostConnection>();
        if (host != null) list.add(host);
        if (second != null) list.add(second);
        return list;
    }

    private static void removeIfPresent(HostConnection on, UUID id) {
        var found = on.compute().lookup(id);
        if (found.isEmpty()) return;
        if (found.get().state() != PowerState.SHUTOFF) on.compute().destroy(id);
        on.compute().undefine(id);
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
