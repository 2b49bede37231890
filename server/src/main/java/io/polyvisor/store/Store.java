package io.polyvisor.store;

import io.polyvisor.autoscale.Group;
import io.polyvisor.coordination.KvEntry;
import io.polyvisor.coordination.Lease;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Desired and observed state, tasks and events, in one database (H2 embedded or PostgreSQL).
 *
 * <p>Contract: every method is atomic. {@link #inTransaction} groups several calls so that either all
 * or none are applied (the API uses it so that a VM, its first task and its event appear together).
 * Reads return values that never change afterwards. Writes that would break a uniqueness rule throw
 * {@link Conflict} with a message fit for a user, and change nothing (inside {@link #inTransaction} the
 * transaction stays usable). Updating a row that does not exist throws {@link java.util.NoSuchElementException}.
 */
public interface Store extends AutoCloseable {

    // --- hosts (unique by name, and by URI)
    void insertHost(Host host);

    void updateHost(Host host);

    /** Removes the host; a no-op if absent. */
    void deleteHost(String name);

    Optional<Host> host(String name);

    List<Host> hosts();

    // --- VMs (unique by id, and by name among VMs not deleted)
    void insertVm(Vm vm);

    /**
     * Replaces the whole stored VM: the last writer wins. A read-modify-write that must not lose a concurrent
     * change (an intent set by the API while a controller records a state) should use {@link #replaceVm}.
     */
    void updateVm(Vm vm);

    /**
     * Writes {@code next} only if the stored VM still equals {@code expected} (compare-and-set), so that a
     * controller acting on a stale read cannot undo a concurrent change such as a new intent from the API.
     * Returns false, writing nothing, if the VM changed or is gone: re-read and decide again.
     */
    default boolean replaceVm(Vm expected, Vm next) {
        if (!expected.id().equals(next.id())) throw new IllegalArgumentException("replaceVm cannot change a VM's id");
        return inTransaction(s -> {
            if (!s.vm(expected.id()).equals(Optional.of(expected))) return false;
            s.updateVm(next);
            return true;
        });
    }

    /** Removes the VM row and its endpoints; a no-op if absent. */
    void deleteVm(UUID id);

    Optional<Vm> vm(UUID id);

    Optional<Vm> vmByName(String name);

    /** Every VM row, deleted ones included (they stay until retention removes them). */
    List<Vm> vms();

    /** The VMs not deleted: what placement, balancing and HA count. */
    List<Vm> liveVms();

    List<Vm> vmsOnHost(String host);

    // --- endpoints: guest TCP port -> host loopback port, per VM
    void setEndpoints(UUID vm, Map<Integer, Integer> guestToHostPort);

    Map<Integer, Integer> endpoints(UUID vm);

    // --- tasks
    void insertTask(Task task);

    void updateTask(Task task);

    Optional<Task> task(UUID id);

    /** Newest first. {@code vm} and {@code status} are optional filters (null = any). */
    List<Task> tasks(UUID vm, Task.Status status, int limit);

    /** The project the task's VM was in when the task was written; empty for a task of no VM or no such task. */
    Optional<String> taskProject(UUID task);

    /** Queued and running tasks, oldest first: what a restarted server must finish. */
    List<Task> unfinishedTasks();

    // --- events (append-only; seq assigned here, strictly increasing)

    /**
     * Appends an event to this call's transaction (its own, on the root store). Its seq is assigned when the
     * transaction commits, in commit order, so seqs are visible in order and the counter is held only during the
     * commit, not through the rest of the transaction; listeners and readers see it once the commit is durable.
     */
    default void appendEvent(String type, String subject, String message) {
        appendEvent(type, subject, message, java.util.Map.of());
    }

    /** As above, with the event's machine-readable facts ({@link Event#data}). */
    void appendEvent(String type, String subject, String message, java.util.Map<String, String> data);

    /** Events with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<Event> events(long afterSeq, int limit);

    /**
     * The newest event seq a reader may read now: every event up to it is durable and readable, and any change
     * committed after this call returns comes with an event of a larger seq. A client that reads this, then lists
     * state, then follows the stream after it, misses no change (list-then-watch).
     */
    long lastEventSeq();

    /** The last seq retention removed (0 if none): events up to it are gone, later ones are all kept. */
    long eventsPrunedThrough();

    /**
     * Retention: removes events older than {@code cutoff} and the oldest beyond the newest {@code keep}, at most
     * {@code batch} per call (call again while it returns {@code batch}); returns how many were removed.
     */
    int pruneEvents(java.time.Instant cutoff, long keep, int batch);

    /** Retention: as {@link #pruneEvents} for finished tasks; queued and running tasks are never removed. */
    int pruneFinishedTasks(java.time.Instant cutoff, int keep, int batch);

    /** Retention: as {@link #pruneEvents} for the audit journal (oldest first, at most {@code batch} entries). */
    int pruneAudit(java.time.Instant cutoff, long keep, int batch);

    /**
     * Calls {@code listener} with every event appended through this store from now on, in seq order, once
     * the appending transaction has committed (never for one rolled back). Listeners run on the committing
     * thread and must not block. Events appended by other processes sharing the database are not seen
     * here: poll {@link #events} for those. Close the returned handle to stop.
     */
    default AutoCloseable onEvent(Consumer<Event> listener) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not publish events");
    }

    // --- elastic groups (docs/GROUPS.md): members are VMs labelled group=NAME; a group's decisions go with it
    /** Inserts the group; a {@link Conflict} if the name or the listen port is taken. */
    void insertGroup(Group group);

    /** Replaces the group's row; a {@link Conflict} on a taken listen port, {@code NoSuchElementException} if absent. */
    void updateGroup(Group group);

    /** Removes the group and its decisions; a no-op if absent. */
    void deleteGroup(String name);

    Optional<Group> group(String name);

    /** Every group, by name. */
    List<Group> groups();

    /** Records one of the group's policy decisions; only the newest 100 per group are kept. */
    void appendGroupDecision(String group, Group.Decided decision);

    /** The group's newest decisions, newest first. */
    List<Group.Decided> groupDecisions(String group, int limit);

    // --- coordination (docs/COORDINATION.md): per-group key-value store, leases, per-VM credentials
    /**
     * Locks the group's coordination row until the enclosing transaction ends (creating it at revision 0), adds
     * {@code increment} (0 or 1) to its revision and returns the revision. Every coordination write of a group takes
     * this lock first, inside {@link #inTransaction}, so a group's writes are serialized.
     */
    long lockCoordGroup(String group, int increment);

    /** The group's current revision, 0 if it never had a write. */
    long coordRevision(String group);

    /** The entry of {@code key}, a tombstone included; inside {@link #inTransaction}, a locking read of the newest row. */
    Optional<KvEntry> kv(String group, String key);

    /** Entries (tombstones included) whose key starts with {@code prefix}, by key. */
    List<KvEntry> kvs(String group, String prefix);

    /** Inserts or replaces the entry; the caller holds the group's lock. */
    void putKv(KvEntry entry);

    /** The newest revision of the group whose tombstones may have been removed ({@link #compactCoord}); 0 if none. */
    long coordCompacted(String group);

    /**
     * Removes the group's tombstones of revision {@code upTo} or older and records {@code upTo} as its compacted
     * revision; the caller holds the group's lock. Returns how many were removed.
     */
    int compactCoord(String group, long upTo);

    /** The groups with a tombstone more than {@code keep} revisions older than the group's revision. */
    List<String> coordGroupsToCompact(long keep);

    /** The lease; inside {@link #inTransaction}, a locking read of the newest row. */
    Optional<Lease> lease(String group, String name);

    /** Leases of {@code group}, or of every group when null, by group and name. */
    List<Lease> leases(String group);

    /** Inserts or replaces the lease; the caller holds the group's lock. */
    void putLease(Lease lease);

    /**
     * Appends a message to a group's topic, keeping the topic's newest {@code keep}; the caller holds the group's lock
     * ({@link #lockCoordGroup}). Returns its seq (1, 2, 3, ... per topic).
     */
    long appendCoordMessage(String group, String topic, String sender, String body, java.time.Instant at, int keep);

    /** The topic's messages with {@code seq > after}, oldest first, at most {@code limit}. */
    List<io.polyvisor.coordination.Message> coordMessages(String group, String topic, long after, int limit);

    /** The topic's last seq (0 if it never had a message). */
    long lastCoordMessage(String group, String topic);

    /** Sets the VM's coordination credential hash, replacing any earlier one; gone with the VM row. */
    void putCoordToken(UUID vm, String tokenHash);

    Optional<UUID> vmByCoordToken(String tokenHash);

    /** Sets the VM's user data (what its guest reads at {@code /v1/self}), or removes it when null; gone with the VM row. */
    void putUserData(UUID vm, String userData);

    Optional<String> userData(UUID vm);

    // --- identity (docs/SECURITY.md): users with the SHA-256 of their token, projects with quotas, the audit journal
    /** Inserts the user with its credential's hash; a {@link Conflict} if the name (or, by a 2^-256 chance, the hash) is taken. */
    void insertUser(io.polyvisor.access.User user, String tokenHash);

    /** Replaces the user's row; {@code tokenHash} null keeps its credential, else replaces it (the old one stops working). */
    void updateUser(io.polyvisor.access.User user, String tokenHash);

    Optional<io.polyvisor.access.User> user(String name);

    /** The user whose credential hashes to {@code tokenHash}, revoked or expired ones included. */
    Optional<io.polyvisor.access.User> userByToken(String tokenHash);

    List<io.polyvisor.access.User> users();

    /** Inserts the project; a {@link Conflict} if the name is taken. */
    void insertProject(io.polyvisor.access.Project project);

    void updateProject(io.polyvisor.access.Project project);

    /** Removes the project row; a no-op if absent. The caller checks it holds no VM first, in the same transaction. */
    void deleteProject(String name);

    /**
     * The project; inside {@link #inTransaction}, a locking read: the row stays locked until the transaction ends, so
     * quota checks and inserts of VMs in one project are serialized across servers sharing the database.
     */
    Optional<io.polyvisor.access.Project> project(String name);

    List<io.polyvisor.access.Project> projects();

    /** What the VMs of {@code project} not deleted hold now. */
    io.polyvisor.access.Quota.Usage projectUsage(String project);

    /** Appends one entry to the audit journal (its {@code seq} is assigned here). */
    void appendAudit(io.polyvisor.access.AuditEntry entry);

    /** Audit entries with {@code seq > after}, oldest first, of {@code actor} only unless null, at most {@code limit}. */
    List<io.polyvisor.access.AuditEntry> audit(long after, String actor, int limit);

    /** The newest {@code limit} audit entries (of {@code actor} only unless null), oldest first. */
    List<io.polyvisor.access.AuditEntry> auditNewest(String actor, int limit);

    // --- storage (docs/STORAGE.md): images (unique by name) and volumes (unique by name)
    /** Inserts the image; a {@link Conflict} if the name is taken. */
    void insertImage(io.polyvisor.disk.Image image);

    /** Removes the image row; a no-op if absent. */
    void deleteImage(String name);

    Optional<io.polyvisor.disk.Image> image(String name);

    /** Every image, by name. */
    List<io.polyvisor.disk.Image> images();

    /** Inserts the template; a {@link Conflict} if the name is taken (its image is inserted separately). */
    void insertTemplate(io.polyvisor.disk.Template template);

    /** Removes the template row and its owner row; a no-op if absent. */
    void deleteTemplate(String name);

    Optional<io.polyvisor.disk.Template> template(String name);

    /** Every template, by name. */
    List<io.polyvisor.disk.Template> templates();

    /** Inserts the volume; a {@link Conflict} if the name is taken. */
    void insertVolume(io.polyvisor.disk.Volume volume);

    /** Replaces the volume's row; {@code NoSuchElementException} if absent. */
    void updateVolume(io.polyvisor.disk.Volume volume);

    /** Removes the volume row; a no-op if absent. */
    void deleteVolume(String name);

    Optional<io.polyvisor.disk.Volume> volume(String name);

    /** Every volume, by name. */
    List<io.polyvisor.disk.Volume> volumes();

    /** Inserts a shared pool and the hosts that declare it; a {@link Conflict} if the name is taken. */
    void insertPool(io.polyvisor.disk.SharedPool pool);

    /** Replaces the hosts that declare the pool (its path never changes). */
    void updatePoolHosts(io.polyvisor.disk.SharedPool pool);

    /** Removes the pool and its hosts; a no-op if absent. */
    void deletePool(String name);

    /** Every shared pool, by name. */
    List<io.polyvisor.disk.SharedPool> pools();

    // --- owners (docs/SECURITY.md): the project of each network, volume, group, template and security group

    /** Records {@code project} as the owner of {@code kind}/{@code name} (replacing an earlier one); write it with the object. */
    void setOwner(io.polyvisor.access.Owned kind, String name, String project);

    /** Forgets the owner of {@code kind}/{@code name}; a no-op if none is recorded. Deleting the object does it too. */
    void dropOwner(io.polyvisor.access.Owned kind, String name);

    /** The project of {@code kind}/{@code name}: the one recorded, else {@code default}. */
    String owner(io.polyvisor.access.Owned kind, String name);

    /** The project of every object of {@code kind} with one recorded, by name (others belong to {@code default}). */
    Map<String, String> owners(io.polyvisor.access.Owned kind);

    // --- private networks (docs/NETWORKS.md)
    /**
     * Takes the next VXLAN id. The counter row stays locked until the enclosing transaction ends, so network creates
     * that take one first are serialized (call it inside {@link #inTransaction}).
     */
    int nextVni();

    /** Inserts the network; a {@link Conflict} if the name (or VNI) is taken. */
    void insertNetwork(io.polyvisor.network.Network network);

    Optional<io.polyvisor.network.Network> network(String name);

    /** Every network, by name. */
    List<io.polyvisor.network.Network> networks();

    /** Removes the network; a {@link Conflict} naming a VM if a NIC still holds an address on it. A no-op if absent. */
    void deleteNetwork(String name);

    /** Records that {@code vm} holds {@code address} on the network; a {@link Conflict} if the address or the MAC is taken. */
    void reserveAddress(String network, String address, String mac, UUID vm);

    /** Frees {@code address} on the network (its NIC was detached); a no-op if nobody holds it. */
    void releaseAddress(String network, String address);

    /** The addresses NICs hold on the network, each with the VM holding it, by address. Gone with the VM row. */
    Map<String, UUID> addresses(String network);

    /** Inserts the security group; a {@link Conflict} if the name is taken. */
    void insertSecgroup(io.polyvisor.network.SecurityGroup group);

    Optional<io.polyvisor.network.SecurityGroup> secgroup(String name);

    /** Every security group, by name. */
    List<io.polyvisor.network.SecurityGroup> secgroups();

    /** Replaces the rules of the group named {@code group.name()}; a {@link Conflict} if there is no such group (any more). */
    void replaceSecgroupRules(io.polyvisor.network.SecurityGroup group);

    /** The group, its row locked to the end of the transaction (a read-modify-write of its rules); empty if none. */
    Optional<io.polyvisor.network.SecurityGroup> secgroupForUpdate(String name);

    /** Removes the group and its owner row; a {@link Conflict} naming a VM if it still has members. A no-op if absent. */
    void deleteSecgroup(String name);

    /** Makes {@code vm} a member of the group; a {@link Conflict} if it is one already. */
    void addSecgroupMember(String group, UUID vm);

    /** A no-op if {@code vm} is not a member. */
    void removeSecgroupMember(String group, UUID vm);

    /** Every VM's security groups (VMs in none are absent). Gone with the VM row. */
    Map<UUID, java.util.Set<String>> secgroupMembers();

    // --- settings: one row per setting, holding a JSON document; typed by io.polyvisor.settings.SettingsStore
    Optional<String> setting(String key);

    void putSetting(String key, String value);

    /**
     * Runs {@code work} in one transaction against a store view bound to it: all its writes commit together,
     * or, if it throws, none do. Calls to inTransaction on the view join the same transaction. The view must
     * not be used after {@code work} returns. {@code work} may run more than once if the database reports a
     * deadlock or serialization failure, so it should only read and write the store.
     */
    <T> T inTransaction(Function<Store, T> work);

    /**
     * {@link #inTransaction} for work that writes: it starts at once, without waiting for earlier commits to be
     * durable (the read barrier a read takes where the database shows commits before they are on disk), and returns
     * only once its own commit is durable, which covers whatever it read of earlier ones. For writers ordered by a
     * lock of their own (see {@link #afterVisible}): a read barrier inside the lock would make each of them wait for
     * the previous one's sync. On the view of a transaction it joins that transaction.
     */
    default <T> T inWriteTransaction(Function<Store, T> work) {
        return inTransaction(work);
    }

    /**
     * Runs {@code work} with the calls this thread makes deferring durability: a write returns once committed, before
     * it is durable, and reads do not wait for earlier commits to be. Nothing else changes for anyone else: other
     * calls still read only durable commits (where a database makes commits visible before durable), events reach
     * listeners only once durable, and commits become durable in commit order, so a crash loses at most the last of
     * them. Only for work that is re-run after a crash and whose steps are idempotent (the task executor): what it
     * wrote may be lost, never half kept. On a database whose commits are durable when visible, the same as
     * {@code work.get()}.
     */
    default <T> T deferringDurability(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /**
     * Returns once every write committed so far is durable (at once where commits are durable when visible), also inside
     * {@link #deferringDurability}: for a step that hands what it wrote to the world outside the store (a credential
     * given to a guest), which a crash must not take back.
     */
    default void awaitDurable() {}

    /**
     * {@link #inTransaction} for reads that only guard a write: they see every committed write, durable or not
     * (no read barrier), and must write nothing. Sound when what they read decides whether a later write of the same
     * caller may go ahead, and that write's answer waits for its own durability (which covers every commit before
     * it, so everything this read saw): an authentication before a key-value write, a create's checks and placement.
     * Root-store calls made inside {@code work} skip the barrier too. Not for reads whose result is itself the answer,
     * which could then show a write a crash would take back: a refusal decided from them first calls
     * {@link #awaitDurable()}.
     */
    default <T> T inGuardTransaction(Function<Store, T> work) {
        return inTransaction(work);
    }

    /**
     * Runs {@code action} once what this store view wrote is committed: at once on the root store (each call
     * commits on its own), after the commit on a transaction's view, and never if that transaction rolls back
     * (nor for an attempt rerun after a deadlock). For waking whoever acts on what was written, such as the
     * task executor; {@code action} runs on the committing thread and must be quick. If it throws, the
     * exception is logged: the commit stands.
     */
    default void afterCommit(Runnable action) {
        action.run();
    }

    /**
     * Runs {@code action} as soon as what this store view wrote is committed and visible to other transactions, but
     * before it is durable and before the write returns (which waits for the disk): at once on the root store, after
     * the commit on a transaction's view, never if that transaction rolls back (nor for an attempt rerun after a
     * deadlock). For releasing a lock that orders writers: the next writer then reads this commit, and commits made
     * one after another under the lock can share one sync of the disk instead of one sync each. A client still gets
     * its answer only once its write is durable. {@code action} runs on the committing thread and must be quick; if
     * it throws, the exception is logged: the commit stands.
     */
    default void afterVisible(Runnable action) {
        action.run();
    }

    @Override
    void close();

    /** A uniqueness rule would break; nothing was written. */
    // --- cluster membership and leases (docs/CLUSTER.md). PostgreSQL only: expiry and heartbeats use the database's clock
    /**
     * Registers this server under {@code name} (see {@code ClusterTable.join}); returns the live member of another
     * instance holding the name, writing nothing, or empty once registered.
     */
    default Optional<io.polyvisor.leases.Member> joinCluster(String name, String instance, String address, long ttlMillis) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** Records this server's heartbeat; false if its row now belongs to another instance. */
    default boolean clusterHeartbeat(String name, String instance) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** Removes this server from the membership and ends its leases (a graceful stop). */
    default void leaveCluster(String name, String instance) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    default List<io.polyvisor.leases.Member> clusterMembers() {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    default List<io.polyvisor.leases.ClusterLease> clusterLeases() {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** The new epoch if {@code owner} now holds {@code lease} (it was free, expired or its own), else empty. */
    default java.util.OptionalLong acquireLease(String lease, String owner, long ttlMillis) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** {@link #acquireLease} for many leases in one statement: the epoch of each one taken. */
    default Map<String, Long> acquireLeases(java.util.Collection<String> leases, String owner, long ttlMillis) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** Extends an unexpired lease held at {@code epoch}; false if it expired or another epoch holds it. */
    default boolean renewLease(String lease, String owner, long epoch, long ttlMillis) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /** {@link #renewLease} for every lease in {@code held} (name to epoch) in one statement; returns the names renewed. */
    default java.util.Set<String> renewLeases(String owner, Map<String, Long> held, long ttlMillis) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    default void releaseLease(String lease, String owner, long epoch) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /**
     * The fencing check for a write only a lease holder may make: call it inside the write's transaction; while the
     * transaction lasts, nobody can acquire the lease (its row is locked FOR KEY SHARE, which acquisitions wait for and
     * renewals do not).
     */
    default boolean holdsLease(String lease, String owner, long epoch) {
        throw new UnsupportedOperationException("cluster membership needs PostgreSQL");
    }

    /**
     * Runs {@code heard}, on a thread of its own, soon after any transaction of any server on this database that
     * appended events commits (PostgreSQL LISTEN/NOTIFY); close the handle to stop. PostgreSQL only.
     */
    default AutoCloseable listenForEvents(Runnable heard) {
        throw new UnsupportedOperationException("listening for other servers' events needs PostgreSQL");
    }

    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
