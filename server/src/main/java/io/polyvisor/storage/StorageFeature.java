package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;
import io.polyvisor.lifecycle.VmDisks;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Storage (docs/STORAGE.md): images imported into the server and copied into the pools of the hosts that use them,
 * volumes in each host's pool or in shared pools several hosts mount ({@link Pools}; through the driver's
 * {@link io.polyvisor.spi.Storage}), the disks of VM creates
 * ({@link #vmDisks()}, handed to the lifecycle), snapshots of a VM's disks, and the {@code disks} field of every VM.
 * Built before the lifecycle, so it finds VMs through the store rather than through the lifecycle's lookup.
 */
public final class StorageFeature implements Feature {
    private final Platform p;
    private final HostStorage hosts;
    private final Images images;
    private final Volumes volumes;
    private final Snapshots snapshots;
    private final VmStorage vmDisks;
    private final VolumeReaper reaper;
    private final VmClones clones;
    private final Templates templates;
    private final DiskAttachments attachments;
    private final Pools pools;
    private volatile io.polyvisor.lifecycle.VmRequests requests;

    /**
     * @param dataDir the server's data folder: imported images are kept in its {@code images} folder
     * @param vms     the one way VM rows are changed (a disk attached or detached changes the VM's spec)
     */
    public StorageFeature(Platform p, Path dataDir, io.polyvisor.lifecycle.VmUpdates vms) {
        this.p = p;
        this.hosts = new HostStorage(p.store(), p.conns());
        this.images = new Images(p.store(), p.journal(), hosts, dataDir);
        this.volumes = new Volumes(p.store(), p.journal(), hosts, images);
        this.snapshots = new Snapshots(p.store(), p.journal(), hosts);
        this.vmDisks = new VmStorage(p.store(), volumes, images);
        this.reaper = new VolumeReaper(p.store(), p.journal(), hosts);
        java.util.function.Supplier<io.polyvisor.lifecycle.VmRequests> creates = () -> {
            if (requests == null) throw new IllegalStateException("storage feature used before the lifecycle was given to it");
            return requests;
        };
        this.clones = new VmClones(p.store(), hosts, volumes, creates);
        this.templates = new Templates(p.store(), p.journal(), hosts, creates);
        this.attachments = new DiskAttachments(p.store(), p.journal(), hosts, volumes, vms);
        this.pools = new Pools(p.store(), p.journal(), hosts);
    }

    /** The lifecycle's create path, for clones (the lifecycle is built after storage, which it uses for disks). */
    public void createThrough(io.polyvisor.lifecycle.VmRequests requests) {
        this.requests = requests;
    }

    /** What VM creates with {@code image}, {@code disk_size} or {@code disks} ask of storage. */
    public VmDisks vmDisks() {
        return vmDisks;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public List<Route> routes() {
        var all = new java.util.ArrayList<>(new StorageRoutes(p.store(), volumes, images, snapshots, clones, this::findVm, p.mapper()).routes());
        all.addAll(new TemplateRoutes(p.store(), templates, images, this::findVm, p.mapper()).routes());
        all.addAll(new DiskRoutes(attachments, this::findVm, this::disks, p.mapper()).routes());
        all.addAll(new PoolRoutes(p.store(), pools, p.mapper()).routes());
        return all;
    }

    @Override
    public List<Controller> controllers() {
        return List.of(reaper);
    }

    /** {@code disks}: each disk's volume, size and bus, in guest order. */
    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("disks", StorageViews.DiskView[].class,
                (Function<Vm, Object>) vm -> disks(vm).toArray(StorageViews.DiskView[]::new)));
    }

    private List<StorageViews.DiskView> disks(Vm vm) {
        return vm.spec().disks().stream().map(d -> {
            long size = p.store().volume(d.volume()).map(Volume::sizeBytes).orElse(0L);
            return new StorageViews.DiskView(d.volume(), size, Sizes.format(size), d.bus(), d.pool());
        }).toList();
    }

    private Vm findVm(String ref) {
        var vm = p.store().vmByName(ref);
        if (vm.isEmpty() && ref.length() == 36) {
            try {
                vm = p.store().vm(UUID.fromString(ref));
            } catch (IllegalArgumentException notUuid) {
                // not found below
            }
        }
        return vm.orElseThrow(() -> Refusal.notFound("vm " + ref + " not found"));
    }
}
