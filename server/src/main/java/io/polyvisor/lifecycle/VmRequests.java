package io.polyvisor.lifecycle;

import io.polyvisor.model.Refusal;
import io.polyvisor.events.Journal;
import io.polyvisor.drivers.Connections;
import io.polyvisor.model.Host;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Task;
import io.polyvisor.model.Task.Kind;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.Placer;
import io.polyvisor.spi.Capability;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskQueue;
import io.polyvisor.tasks.TaskRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the API asks of VMs: it records desired state and queues tasks; the {@link LifecycleController}
 * does the work. Every accepted request writes its rows, task and event in one transaction; a refused
 * one ({@link Refusal}, {@link io.polyvisor.model.InvalidInput}) writes nothing.
 */
public final class VmRequests {
    /**
     * A validated create request. {@code host} pins placement to one host; null lets the placer choose. {@code project}
     * owns the VM (null: {@code default}); its quota is checked in the transaction that inserts the VM. {@code secgroups}:
     * security groups the VM is a member of from the transaction that inserts it, so it is guarded from its first boot.
     * {@code userData}: what its guest reads at {@code /v1/self} (null: none), recorded in that transaction too.
     */
    public record Create(String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                         String host, boolean start, String project, VmDisks.Request disks, List<String> secgroups, String userData) {
        public Create {
            project = project == null ? Vm.DEFAULT_PROJECT : project;
            disks = disks == null ? VmDisks.Request.NONE : disks;
            secgroups = secgroups == null ? List.of() : List.copyOf(secgroups);
            if (userData != null) io.polyvisor.coordination.CoordNames.userData(userData);
        }

        /** A create without user data. */
        public Create(String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                      String host, boolean start, String project, VmDisks.Request disks, List<String> secgroups) {
            this(name, spec, labels, protection, priority, host, start, project, disks, secgroups, null);
        }

        /** A create in no security group. */
        public Create(String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                      String host, boolean start, String project, VmDisks.Request disks) {
            this(name, spec, labels, protection, priority, host, start, project, disks, List.of());
        }

        /** A create in the default project, without storage. */
        public Create(String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                      String host, boolean start) {
            this(name, spec, labels, protection, priority, host, start, null, VmDisks.Request.NONE);
        }
    }

    public record Accepted(Vm vm, Task task) {}

    private final Store store;
    private final Supplier<Placer> placer;
    private final Supplier<ClusterSnapshot> snapshot;
    private final VmUpdates vms;
    private final Journal journal;
    private final Connections conns;
    private final TaskQueue tasks;
    private final VmDisks disks;
    private final VmNetworking networking;
    private final PendingCreates pending = new PendingCreates();

    public VmRequests(Store store, Supplier<Placer> placer, Supplier<ClusterSnapshot> snapshot, VmUpdates vms, Journal journal,
                      Connections conns, TaskQueue tasks, VmNetworking networking) {
        this(store, placer, snapshot, vms, journal, conns, tasks, networking, VmDisks.NONE);
    }

    public VmRequests(Store store, Supplier<Placer> placer, Supplier<ClusterSnapshot> snapshot, VmUpdates vms, Journal journal,
                      Connections conns, TaskQueue tasks, VmNetworking networking, VmDisks disks) {
        this.networking = networking;
        this.disks = disks;
        this.store = store;
        this.placer = placer;
        this.snapshot = snapshot;
        this.vms = vms;
        this.journal = journal;
        this.conns = conns;
        this.tasks = tasks;
    }

    /**
     * Places and records a new VM with its CREATE task. Placement is serialised (a lock) so two creates cannot both take
     * the last room nor the same name; the project's quota is checked again inside the inserting transaction, under the
     * project row's lock, so creates through other servers sharing the database cannot both take the last of a quota.
     *
     * <p>A create with neither disks nor private NICs holds the lock only while it reads and places: it is then pending
     * ({@link PendingCreates}) while it commits and waits for the disk, so concurrent creates share one sync instead of
     * queueing one sync each. Reads under the lock skip the store's read barrier ({@link Store#inGuardTransaction}); a
     * refusal waits for it before it answers. A create with disks or private NICs (volumes made on a host, addresses
     * chosen from the rows) commits under the lock, as its choices depend on what the previous create wrote.
     */
    public Accepted create(Create c) {
        boolean plain = c.disks().none() && c.spec().nics().stream().noneMatch(io.polyvisor.model.Nic::privateNetwork);
        if (!plain) {
            synchronized (this) {
                return commit(c, reserve(c));
            }
        }
        Reserved r;
        synchronized (this) {
            r = reserve(c);
            pending.add(r.vm());
        }
        try {
            return commit(c, r);
        } finally {
            pending.remove(r.vm().id());
        }
    }

    /** A placed VM, with what was made for it on its host (nothing for a plain create). */
    private record Reserved(Vm vm, VmDisks.Made made) {}

    /** Checks and places {@code c} (under the create lock); throws the refusal, having made nothing, if it cannot. */
    private Reserved reserve(Create c) {
        try {
            return store.inGuardTransaction(s -> {
                if (pending.holdsName(c.name()) || s.vmByName(c.name()).isPresent()) {
                    throw Refusal.conflict("a VM named " + c.name() + " already exists");
                }
                ProjectQuota.admit(store, c.project(), c.spec()); // before placement, so an over-quota create says so first
                if (c.host() != null && s.host(c.host()).isEmpty()) {
                    throw new Refusal(Refusal.Kind.UNPLACEABLE, "host " + c.host() + " does not exist", Map.of("pinned", 1));
                }
                UUID id = UUID.randomUUID();
                VmDisks.Plan plan = disks.plan(c.name(), c.disks(), c.host());
                VmSpec spec = networking.assign(s, id, c.project(), c.spec());
                Vm draft = new Vm(id, c.name(), spec.withDisks(plan.sharedDisks()), c.labels(), c.protection(), c.priority(),
                        c.start() ? PowerIntent.RUNNING : PowerIntent.STOPPED, VmState.PENDING, null, c.project());
                String host = place(draft, plan.host() != null ? plan.host() : c.host());
                VmDisks.Made made = plan.make(host);
                return new Reserved(new Vm(id, c.name(), spec.withDisks(made.disks()), c.labels(), c.protection(),
                        c.priority(), draft.intent(), VmState.PENDING, host, c.project()), made);
            });
        } catch (Refusal | io.polyvisor.model.InvalidInput e) {
            store.awaitDurable(); // the rows it was refused on may not be on disk yet
            throw e;
        }
    }

    /** Inserts the reserved VM with its task and event in one transaction, durable when it returns. */
    private Accepted commit(Create c, Reserved r) {
        Vm vm = r.vm();
        VmDisks.Made made = r.made();
        Task task;
        try {
            task = store.inWriteTransaction(tx -> {
                ProjectQuota.admitInCreate(tx, store, c.project(), c.spec());
                tx.insertVm(vm);
                networking.reserve(tx, vm);
                networking.join(tx, vm, c.secgroups());
                if (c.userData() != null) tx.putUserData(vm.id(), c.userData());
                made.record(tx, vm.id());
                Task queued = tasks.enqueue(tx, new TaskRequest.Create(vm.id(), vm.host()));
                journal.record(tx, LifecycleEvent.VM_CREATED, vm.name(), vm.name() + " created on host " + vm.host() + " ("
                        + vm.spec().vcpus() + " vCPU, " + io.polyvisor.model.Sizes.format(vm.spec().memoryBytes())
                        + (made.disks().isEmpty() ? "" : ", disks " + String.join(", ", made.disks().stream().map(io.polyvisor.model.Disk::volume).toList()))
                        + (c.userData() == null ? "" : ", user data " + c.userData().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes") + ")");
                return queued;
            });
        } catch (RuntimeException e) {
            made.undo();
            throw e;
        }
        journal.signal();
        return new Accepted(vm, task);
    }

    /**
     * Queues {@code kind} for the VM named (or with the UUID) {@code ref}, after checking it is legal now.
     *
     * @param target destination host for MIGRATE; {@code "force"} for a forced STOP; else null
     */
    public Task request(String ref, Kind kind, String target) {
        UUID id = find(ref).id();
        Task task = vms.locked(id, () -> {
            Vm vm = store.vm(id).orElseThrow(() -> Refusal.notFound("vm " + ref + " not found"));
            Admission.check(vm, kind, unfinished(id).orElse(null)).ifPresent(reason -> {
                throw Refusal.conflict(reason);
            });
            if (kind == Kind.MIGRATE) checkMigration(vm, target);
            PowerIntent intent = Admission.intentAfter(kind);
            Task t = store.inTransaction(tx -> {
                if (intent != null && intent != vm.intent()) tx.updateVm(vm.withIntent(intent));
                Task queued = tasks.enqueue(tx, TaskRequest.of(kind, id, target));
                journal.record(tx, LifecycleEvent.TASK_QUEUED, vm.name(), Admission.label(kind) + " " + vm.name()
                        + (kind == Kind.MIGRATE ? " to host " + target : "") + " queued");
                return queued;
            });
            vms.touch(id);
            return t;
        });
        journal.signal();
        return task;
    }

    /** The VM with this name or UUID, or a not-found refusal. */
    public Vm find(String ref) {
        Optional<Vm> vm = store.vmByName(ref);
        if (vm.isEmpty() && ref.length() == 36) {
            try {
                vm = store.vm(UUID.fromString(ref));
            } catch (IllegalArgumentException notUuid) {
                // fall through to not found
            }
        }
        return vm.orElseThrow(() -> Refusal.notFound("vm " + ref + " not found"));
    }

    private String place(Vm vm, String pinned) {
        Placement p = placer.get().place(pending.over(snapshot.get()), new PlacementRequest(vm, pinned, Set.of()));
        return switch (p) {
            case Placement.Placed placed -> placed.host();
            case Placement.Rejected r -> throw new Refusal(Refusal.Kind.UNPLACEABLE, r.reason(), r.excludedBy());
        };
    }

    private void checkMigration(Vm vm, String to) {
        Host dest = store.host(to).orElseThrow(() -> Refusal.notFound("host " + to + " not found"));
        if (to.equals(vm.host())) throw Refusal.conflict("vm " + vm.name() + " is already on host " + to);
        Host src = store.host(vm.host()).orElseThrow(() -> Refusal.conflict("vm " + vm.name() + " has no host"));
        if (!dest.state().schedulable()) {
            throw Refusal.conflict("host " + to + " is " + dest.state().label() + "; it must be connected to receive a VM");
        }
        String srcDriver = conns.drivers().forUri(src.uri()).name();
        String destDriver = conns.drivers().forUri(dest.uri()).name();
        if (!srcDriver.equals(destDriver)) {
            throw Refusal.conflict("host " + src.name() + " (" + srcDriver + ") and host " + to + " (" + destDriver
                    + ") use different drivers; live migration needs the same one");
        }
        if (!conns.drivers().forUri(src.uri()).capabilities().contains(Capability.MIGRATION)) {
            throw Refusal.conflict("the " + srcDriver + " driver of host " + src.name() + " does not support live migration");
        }
        // the destination must pass the same placement rules as a new VM; a VM and its standby never share a host (409:
        // the pair, not the request, is in the way)
        if (placer.get().place(pending.over(snapshot.get()), new PlacementRequest(vm, to, Set.of())) instanceof Placement.Rejected r) {
            if (r.excludedBy().containsKey(io.polyvisor.placement.PlacementPlugins.STANDBY_APART)) throw Refusal.conflict(r.reason());
            throw new Refusal(Refusal.Kind.UNPLACEABLE, r.reason(), r.excludedBy());
        }
    }


    private Optional<Kind> unfinished(UUID vm) {
        for (Task.Status s : new Task.Status[] {Task.Status.RUNNING, Task.Status.QUEUED}) {
            var t = store.tasks(vm, s, 1);
            if (!t.isEmpty()) return Optional.of(t.get(0).kind());
        }
        return Optional.empty();
    }
}
