package io.polyvisor.store;

import io.polyvisor.autoscale.Group;
import io.polyvisor.coordination.KvEntry;
import io.polyvisor.coordination.Lease;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link Store} over JDBI and plain SQL, for H2 and PostgreSQL alike. The root store runs each call in a
 * transaction of its own; {@link #inTransaction} hands out a view bound to one transaction, whose calls
 * (and nested inTransaction calls) all join it. Create with {@link Stores}.
 *
 * <p>Reads return immutable values. Times the store assigns (event times, VM created/updated) are cut to microseconds, the precision
 * both databases keep; task times are stored as given and come back cut to microseconds.
 */
public final class JdbiStore implements Store {
    private final Transactions transactions;
    private final EventFanout fanout;
    private final AutoCloseable resources;
    private final Tx tx;
    /** Parsed VM rows by version: list reads parse only rows written since (see {@link VmRowCache}). */
    private final VmRowCache vmRows = new VmRowCache();

    private final EventNotifications notifications;

    JdbiStore(Jdbi jdbi, Durability durability, AutoCloseable resources, EventNotifications notifications) {
        this.fanout = new EventFanout(jdbi.withHandle(EventLog::lastSeq));
        this.notifications = notifications;
        this.transactions = new Transactions(jdbi, fanout, durability, notifications);
        this.resources = resources;
        this.tx = null;
    }

    private JdbiStore(JdbiStore root, Tx tx) {
        this.fanout = root.fanout;
        this.notifications = root.notifications;
        this.transactions = root.transactions;
        this.resources = null;
        this.tx = tx;
    }

    private <T> T run(Function<Tx, T> work) {
        return tx != null ? work.apply(tx) : transactions.run(work);
    }

    /** A write: the transaction it runs in is made durable before the store returns. */
    private <T> T write(Function<Tx, T> work) {
        Function<Tx, T> marked = t -> {
            t.markWrite();
            return work.apply(t);
        };
        return tx != null ? marked.apply(tx) : transactions.write(marked);
    }

    private void exec(Consumer<Tx> work) {
        write(t -> {
            work.accept(t);
            return null;
        });
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public void insertHost(Host host) {
        exec(t -> HostTable.insert(t, host));
    }

    @Override
    public void updateHost(Host host) {
        exec(t -> HostTable.update(t, host));
    }

    @Override
    public void deleteHost(String name) {
        exec(t -> HostTable.delete(t.handle, name));
    }

    @Override
    public Optional<Host> host(String name) {
        return run(t -> HostTable.byName(t.handle, name));
    }

    @Override
    public List<Host> hosts() {
        return run(t -> List.copyOf(HostTable.all(t.handle)));
    }

    @Override
    public void insertVm(Vm vm) {
        exec(t -> VmTable.insert(t, vm, now()));
    }

    @Override
    public void updateVm(Vm vm) {
        exec(t -> VmTable.update(t, vm, now()));
    }

    /** Locks the row ({@code SELECT ... FOR UPDATE}) while comparing, so no writer slips in between. */
    @Override
    public boolean replaceVm(Vm expected, Vm next) {
        if (!expected.id().equals(next.id())) throw new IllegalArgumentException("replaceVm cannot change a VM's id");
        return write(t -> {
            if (!VmTable.byIdForUpdate(t.handle, expected.id()).equals(Optional.of(expected))) return false;
            VmTable.update(t, next, now());
            return true;
        });
    }

    @Override
    public void deleteVm(UUID id) {
        exec(t -> VmTable.delete(t.handle, id));
    }

    @Override
    public Optional<Vm> vm(UUID id) {
        return run(t -> VmTable.byId(t.handle, id));
    }

    @Override
    public Optional<Vm> vmByName(String name) {
        return run(t -> VmTable.byName(t.handle, name));
    }

    @Override
    public List<Vm> vms() {
        return run(t -> List.copyOf(VmTable.all(t.handle, vmRows)));
    }

    @Override
    public List<Vm> liveVms() {
        return run(t -> List.copyOf(VmTable.live(t.handle, vmRows)));
    }

    @Override
    public List<Vm> vmsOnHost(String host) {
        return run(t -> List.copyOf(VmTable.onHost(t.handle, vmRows, host)));
    }

    @Override
    public void setEndpoints(UUID vm, Map<Integer, Integer> guestToHostPort) {
        exec(t -> EndpointTable.replace(t.handle, vm, guestToHostPort));
    }

    @Override
    public Map<Integer, Integer> endpoints(UUID vm) {
        return run(t -> Map.copyOf(EndpointTable.of(t.handle, vm)));
    }

    @Override
    public void insertTask(Task task) {
        exec(t -> TaskTable.insert(t, task));
    }

    @Override
    public void updateTask(Task task) {
        exec(t -> TaskTable.update(t.handle, task));
    }

    @Override
    public Optional<Task> task(UUID id) {
        return run(t -> TaskTable.byId(t.handle, id));
    }

    @Override
    public List<Task> tasks(UUID vm, Task.Status status, int limit) {
        return run(t -> List.copyOf(TaskTable.newestFirst(t.handle, vm, status, limit)));
    }

    @Override
    public Optional<String> taskProject(UUID task) {
        return run(t -> TaskTable.project(t.handle, task));
    }

    @Override
    public List<Task> unfinishedTasks() {
        return run(t -> List.copyOf(TaskTable.unfinished(t.handle)));
    }

    @Override
    public void appendEvent(String type, String subject, String message, java.util.Map<String, String> data) {
        Objects.requireNonNull(type, "event type");
        exec(t -> t.append(new EventLog.Pending(type, subject, message, now(), data)));
    }

    @Override
    public List<Event> events(long afterSeq, int limit) {
        // on H2 a commit is readable before it is on disk: stop at the last seq known durable when the read began
        return run(t -> List.copyOf(EventLog.after(t.handle, afterSeq, t.readableSeq(), limit)));
    }

    @Override
    public long lastEventSeq() {
        return run(t -> Math.min(EventLog.lastSeq(t.handle), t.readableSeq()));
    }

    @Override
    public long eventsPrunedThrough() {
        return run(t -> EventLog.prunedThrough(t.handle));
    }

    @Override
    public int pruneEvents(Instant cutoff, long keep, int batch) {
        return write(t -> {
            long through = Math.max(EventLog.lastBefore(t.handle, cutoff), EventLog.lastSeq(t.handle) - Math.max(0, keep));
            return EventLog.prune(t.handle, through, batch);
        });
    }

    @Override
    public int pruneAudit(Instant cutoff, long keep, int batch) {
        return write(t -> IdentityTables.pruneAudit(t.handle, cutoff, keep, batch));
    }

    @Override
    public int pruneFinishedTasks(Instant cutoff, int keep, int batch) {
        return write(t -> TaskTable.pruneFinished(t.handle, cutoff, keep, batch));
    }

    @Override
    public AutoCloseable onEvent(Consumer<Event> listener) {
        return fanout.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void insertGroup(Group group) {
        exec(t -> GroupTable.insert(t, group));
    }

    @Override
    public void updateGroup(Group group) {
        exec(t -> GroupTable.update(t, group));
    }

    @Override
    public void deleteGroup(String name) {
        exec(t -> {
            GroupTable.delete(t.handle, name);
            OwnerTable.drop(t.handle, io.polyvisor.access.Owned.GROUP, name);
        });
    }

    @Override
    public Optional<Group> group(String name) {
        return run(t -> GroupTable.byName(t.handle, name));
    }

    @Override
    public List<Group> groups() {
        return run(t -> List.copyOf(GroupTable.all(t.handle)));
    }

    @Override
    public void appendGroupDecision(String group, Group.Decided decision) {
        exec(t -> GroupTable.appendDecision(t.handle, group, decision));
    }

    @Override
    public List<Group.Decided> groupDecisions(String group, int limit) {
        return run(t -> List.copyOf(GroupTable.decisions(t.handle, group, limit)));
    }

    @Override
    public void insertImage(io.polyvisor.disk.Image image) {
        exec(t -> StorageTable.insertImage(t, image));
    }

    @Override
    public void deleteImage(String name) {
        exec(t -> StorageTable.deleteImage(t.handle, name));
    }

    @Override
    public Optional<io.polyvisor.disk.Image> image(String name) {
        return run(t -> StorageTable.image(t.handle, name));
    }

    @Override
    public List<io.polyvisor.disk.Image> images() {
        return run(t -> List.copyOf(StorageTable.images(t.handle)));
    }

    @Override
    public void insertTemplate(io.polyvisor.disk.Template template) {
        exec(t -> TemplateTable.insert(t, template));
    }

    @Override
    public void deleteTemplate(String name) {
        exec(t -> {
            TemplateTable.delete(t.handle, name);
            OwnerTable.drop(t.handle, io.polyvisor.access.Owned.TEMPLATE, name);
        });
    }

    @Override
    public Optional<io.polyvisor.disk.Template> template(String name) {
        return run(t -> TemplateTable.byName(t.handle, name));
    }

    @Override
    public List<io.polyvisor.disk.Template> templates() {
        return run(t -> List.copyOf(TemplateTable.all(t.handle)));
    }

    @Override
    public void insertVolume(io.polyvisor.disk.Volume volume) {
        exec(t -> StorageTable.insertVolume(t, volume));
    }

    @Override
    public void updateVolume(io.polyvisor.disk.Volume volume) {
        exec(t -> StorageTable.updateVolume(t, volume));
    }

    @Override
    public void deleteVolume(String name) {
        exec(t -> {
            StorageTable.deleteVolume(t.handle, name);
            OwnerTable.drop(t.handle, io.polyvisor.access.Owned.VOLUME, name);
        });
    }

    @Override
    public Optional<io.polyvisor.disk.Volume> volume(String name) {
        return run(t -> StorageTable.volume(t.handle, name));
    }

    @Override
    public List<io.polyvisor.disk.Volume> volumes() {
        return run(t -> List.copyOf(StorageTable.volumes(t.handle)));
    }

    @Override
    public void insertPool(io.polyvisor.disk.SharedPool pool) {
        exec(t -> StorageTable.insertPool(t, pool));
    }

    @Override
    public void updatePoolHosts(io.polyvisor.disk.SharedPool pool) {
        exec(t -> StorageTable.setPoolHosts(t.handle, pool));
    }

    @Override
    public void deletePool(String name) {
        exec(t -> StorageTable.deletePool(t.handle, name));
    }

    @Override
    public List<io.polyvisor.disk.SharedPool> pools() {
        return run(t -> List.copyOf(StorageTable.pools(t.handle)));
    }

    @Override
    public long lockCoordGroup(String group, int increment) {
        return run(t -> CoordTable.lock(t, group, increment));
    }

    @Override
    public long coordRevision(String group) {
        return run(t -> CoordTable.revision(t.handle, group));
    }

    @Override
    public long coordCompacted(String group) {
        return run(t -> CoordTable.compacted(t.handle, group));
    }

    @Override
    public int compactCoord(String group, long upTo) {
        return run(t -> CoordTable.compact(t, group, upTo));
    }

    @Override
    public List<String> coordGroupsToCompact(long keep) {
        return run(t -> CoordTable.groupsToCompact(t.handle, keep));
    }

    @Override
    public Optional<KvEntry> kv(String group, String key) {
        return run(t -> CoordTable.kv(t.handle, group, key, tx != null));
    }

    @Override
    public List<KvEntry> kvs(String group, String prefix) {
        return run(t -> List.copyOf(CoordTable.kvs(t.handle, group, prefix)));
    }

    @Override
    public void putKv(KvEntry entry) {
        exec(t -> CoordTable.putKv(t, entry));
    }

    @Override
    public Optional<Lease> lease(String group, String name) {
        return run(t -> CoordTable.lease(t.handle, group, name, tx != null));
    }

    @Override
    public List<Lease> leases(String group) {
        return run(t -> List.copyOf(CoordTable.leases(t.handle, group)));
    }

    @Override
    public void putLease(Lease lease) {
        exec(t -> CoordTable.putLease(t, lease));
    }

    @Override
    public long appendCoordMessage(String group, String topic, String sender, String body, Instant at, int keep) {
        return write(t -> CoordTable.appendMessage(t.handle, group, topic, sender, body, at, keep));
    }

    @Override
    public List<io.polyvisor.coordination.Message> coordMessages(String group, String topic, long after, int limit) {
        return run(t -> List.copyOf(CoordTable.messages(t.handle, group, topic, after, limit)));
    }

    @Override
    public long lastCoordMessage(String group, String topic) {
        return run(t -> CoordTable.lastMessage(t.handle, group, topic));
    }

    @Override
    public void putCoordToken(UUID vm, String tokenHash) {
        exec(t -> CoordTable.putToken(t, vm, tokenHash));
    }

    @Override
    public Optional<UUID> vmByCoordToken(String tokenHash) {
        return run(t -> CoordTable.vmByToken(t.handle, tokenHash));
    }

    @Override
    public void putUserData(UUID vm, String userData) {
        exec(t -> CoordTable.putUserData(t, vm, userData));
    }

    @Override
    public Optional<String> userData(UUID vm) {
        return run(t -> CoordTable.userData(t.handle, vm));
    }

    @Override
    public void insertUser(io.polyvisor.access.User user, String tokenHash) {
        exec(t -> IdentityTables.insertUser(t, user, Objects.requireNonNull(tokenHash, "token hash")));
    }

    @Override
    public void updateUser(io.polyvisor.access.User user, String tokenHash) {
        exec(t -> IdentityTables.updateUser(t, user, tokenHash));
    }

    @Override
    public Optional<io.polyvisor.access.User> user(String name) {
        return run(t -> IdentityTables.user(t.handle, name));
    }

    @Override
    public Optional<io.polyvisor.access.User> userByToken(String tokenHash) {
        return run(t -> IdentityTables.userByToken(t.handle, tokenHash));
    }

    @Override
    public List<io.polyvisor.access.User> users() {
        return run(t -> List.copyOf(IdentityTables.users(t.handle)));
    }

    @Override
    public void insertProject(io.polyvisor.access.Project project) {
        exec(t -> IdentityTables.insertProject(t, project));
    }

    @Override
    public void updateProject(io.polyvisor.access.Project project) {
        exec(t -> IdentityTables.updateProject(t, project));
    }

    @Override
    public void deleteProject(String name) {
        exec(t -> IdentityTables.deleteProject(t.handle, name));
    }

    @Override
    public Optional<io.polyvisor.access.Project> project(String name) {
        return run(t -> IdentityTables.project(t.handle, name, tx != null));
    }

    @Override
    public List<io.polyvisor.access.Project> projects() {
        return run(t -> List.copyOf(IdentityTables.projects(t.handle)));
    }

    @Override
    public io.polyvisor.access.Quota.Usage projectUsage(String project) {
        return run(t -> VmTable.usage(t.handle, project).withDisk(StorageTable.projectDiskBytes(t.handle, project)));
    }

    @Override
    public void appendAudit(io.polyvisor.access.AuditEntry entry) {
        exec(t -> IdentityTables.appendAudit(t.handle, entry));
    }

    @Override
    public List<io.polyvisor.access.AuditEntry> audit(long after, String actor, int limit) {
        return run(t -> List.copyOf(IdentityTables.audit(t.handle, after, actor, limit)));
    }

    @Override
    public List<io.polyvisor.access.AuditEntry> auditNewest(String actor, int limit) {
        return run(t -> List.copyOf(IdentityTables.auditNewest(t.handle, actor, limit)));
    }

    @Override
    public void setOwner(io.polyvisor.access.Owned kind, String name, String project) {
        exec(t -> OwnerTable.set(t, kind, name, project));
    }

    @Override
    public void dropOwner(io.polyvisor.access.Owned kind, String name) {
        exec(t -> OwnerTable.drop(t.handle, kind, name));
    }

    @Override
    public String owner(io.polyvisor.access.Owned kind, String name) {
        return run(t -> OwnerTable.of(t.handle, kind, name).orElse(io.polyvisor.model.Vm.DEFAULT_PROJECT));
    }

    @Override
    public Map<String, String> owners(io.polyvisor.access.Owned kind) {
        return run(t -> Map.copyOf(OwnerTable.all(t.handle, kind)));
    }

    @Override
    public int nextVni() {
        return write(t -> NetworkTable.nextVni(t.handle));
    }

    @Override
    public void insertNetwork(io.polyvisor.network.Network network) {
        exec(t -> NetworkTable.insert(t, network, now()));
    }

    @Override
    public Optional<io.polyvisor.network.Network> network(String name) {
        return run(t -> NetworkTable.byName(t.handle, name));
    }

    @Override
    public List<io.polyvisor.network.Network> networks() {
        return run(t -> List.copyOf(NetworkTable.all(t.handle)));
    }

    @Override
    public void deleteNetwork(String name) {
        exec(t -> {
            NetworkTable.delete(t, name);
            OwnerTable.drop(t.handle, io.polyvisor.access.Owned.NETWORK, name);
        });
    }

    @Override
    public void reserveAddress(String network, String address, String mac, UUID vm) {
        exec(t -> NetworkTable.reserve(t, network, address, mac, vm));
    }

    @Override
    public void releaseAddress(String network, String address) {
        exec(t -> NetworkTable.release(t, network, address));
    }

    @Override
    public Map<String, UUID> addresses(String network) {
        return run(t -> java.util.Collections.unmodifiableMap(NetworkTable.addresses(t.handle, network)));
    }

    @Override
    public void insertSecgroup(io.polyvisor.network.SecurityGroup group) {
        exec(t -> SecgroupTable.insert(t, group));
    }

    @Override
    public void replaceSecgroupRules(io.polyvisor.network.SecurityGroup group) {
        exec(t -> SecgroupTable.replaceRules(t, group));
    }

    @Override
    public Optional<io.polyvisor.network.SecurityGroup> secgroupForUpdate(String name) {
        return run(t -> SecgroupTable.byNameForUpdate(t.handle, name));
    }

    @Override
    public Optional<io.polyvisor.network.SecurityGroup> secgroup(String name) {
        return run(t -> SecgroupTable.byName(t.handle, name));
    }

    @Override
    public List<io.polyvisor.network.SecurityGroup> secgroups() {
        return run(t -> List.copyOf(SecgroupTable.all(t.handle)));
    }

    @Override
    public void deleteSecgroup(String name) {
        exec(t -> {
            SecgroupTable.delete(t, name);
            OwnerTable.drop(t.handle, io.polyvisor.access.Owned.SECGROUP, name);
        });
    }

    @Override
    public void addSecgroupMember(String group, UUID vm) {
        exec(t -> SecgroupTable.addMember(t, group, vm));
    }

    @Override
    public void removeSecgroupMember(String group, UUID vm) {
        exec(t -> SecgroupTable.removeMember(t.handle, group, vm));
    }

    @Override
    public Map<UUID, java.util.Set<String>> secgroupMembers() {
        return run(t -> Map.copyOf(SecgroupTable.members(t.handle)));
    }

    @Override
    public Optional<String> setting(String key) {
        return run(t -> SettingTable.get(t.handle, key));
    }

    @Override
    public void putSetting(String key, String value) {
        Objects.requireNonNull(value, "setting value");
        exec(t -> SettingTable.put(t, key, value));
    }

    @Override
    public Optional<io.polyvisor.leases.Member> joinCluster(String name, String instance, String address, long ttlMillis) {
        return write(t -> ClusterTable.join(t, name, instance, address, ttlMillis));
    }

    @Override
    public boolean clusterHeartbeat(String name, String instance) {
        return write(t -> ClusterTable.heartbeat(t.handle, name, instance));
    }

    @Override
    public void leaveCluster(String name, String instance) {
        exec(t -> ClusterTable.leave(t.handle, name, instance));
    }

    @Override
    public List<io.polyvisor.leases.Member> clusterMembers() {
        return run(t -> List.copyOf(ClusterTable.members(t.handle)));
    }

    @Override
    public List<io.polyvisor.leases.ClusterLease> clusterLeases() {
        return run(t -> List.copyOf(ClusterTable.leases(t.handle)));
    }

    @Override
    public java.util.OptionalLong acquireLease(String lease, String owner, long ttlMillis) {
        return write(t -> ClusterTable.acquire(t.handle, lease, owner, ttlMillis));
    }

    @Override
    public Map<String, Long> acquireLeases(java.util.Collection<String> leases, String owner, long ttlMillis) {
        return write(t -> ClusterTable.acquireAll(t.handle, leases, owner, ttlMillis));
    }

    @Override
    public boolean renewLease(String lease, String owner, long epoch, long ttlMillis) {
        return write(t -> ClusterTable.renew(t.handle, lease, owner, epoch, ttlMillis));
    }

    @Override
    public java.util.Set<String> renewLeases(String owner, Map<String, Long> held, long ttlMillis) {
        return write(t -> ClusterTable.renewAll(t.handle, owner, held, ttlMillis));
    }

    @Override
    public void releaseLease(String lease, String owner, long epoch) {
        exec(t -> ClusterTable.release(t.handle, lease, owner, epoch));
    }

    @Override
    public boolean holdsLease(String lease, String owner, long epoch) {
        return run(t -> ClusterTable.holds(t.handle, lease, owner, epoch));
    }

    @Override
    public AutoCloseable listenForEvents(Runnable heard) {
        if (notifications == null) throw new UnsupportedOperationException("listening for other servers' events needs PostgreSQL");
        return notifications.listen(heard);
    }

    @Override
    public <T> T inTransaction(Function<Store, T> work) {
        return run(t -> work.apply(tx != null ? this : new JdbiStore(this, t)));
    }

    @Override
    public <T> T deferringDurability(java.util.function.Supplier<T> work) {
        return transactions.deferring(work);
    }

    @Override
    public void awaitDurable() {
        transactions.awaitDurable();
    }

    @Override
    public void afterCommit(Runnable action) {
        if (tx == null) action.run();
        else tx.afterCommit(action);
    }

    @Override
    public <T> T inGuardTransaction(Function<Store, T> work) {
        return tx != null ? work.apply(this) : transactions.write(t -> work.apply(new JdbiStore(this, t)));
    }

    @Override
    public <T> T inWriteTransaction(Function<Store, T> work) {
        return tx != null ? work.apply(this) : write(t -> work.apply(new JdbiStore(this, t)));
    }

    @Override
    public void afterVisible(Runnable action) {
        if (tx == null) action.run();
        else tx.afterVisible(action);
    }

    /** Closes the connection pool (the root store only; a transaction view has nothing to close). */
    @Override
    public void close() {
        if (resources == null) return;
        transactions.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the store: " + e.getMessage(), e);
        }
    }
}
