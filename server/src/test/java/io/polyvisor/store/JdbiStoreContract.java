package io.polyvisor.store;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

import static io.polyvisor.store.StoreFixtures.append;
import static io.polyvisor.store.StoreFixtures.host;
import static io.polyvisor.store.StoreFixtures.now;
import static io.polyvisor.store.StoreFixtures.richVm;
import static io.polyvisor.store.StoreFixtures.task;
import static io.polyvisor.store.StoreFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every database behind {@link JdbiStore} must do. Subclasses supply a fresh, empty database per
 * test and can reopen it; the concurrency half is in {@link StoreConcurrencyContract}.
 */
abstract class JdbiStoreContract extends StoreConcurrencyContract {

    @Test
    void hostRoundTripsEveryFieldAndUpdates() {
        var h1 = host("h1").withState(HostState.MAINTENANCE);
        var bare = new Host("h2", URI.create("qemu+ssh://h2/system"), null, null, HostState.FAILED);
        store.insertHost(h1);
        store.insertHost(bare);
        assertThat(store.host("h1")).contains(h1);
        assertThat(store.host("h2")).contains(bare);
        assertThat(store.hosts()).containsExactly(h1, bare);

        var changed = new Host("h1", URI.create("sim://other/h1"), new Capacity(2, 1L << 30),
                Map.of("rack", "r9"), HostState.DISCONNECTED);
        store.updateHost(changed);
        assertThat(store.host("h1")).contains(changed);

        store.deleteHost("h1");
        store.deleteHost("h1");
        assertThat(store.host("h1")).isEmpty();
        assertThat(store.hosts()).containsExactly(bare);
        assertThatThrownBy(() -> store.updateHost(host("nope"))).isInstanceOf(NoSuchElementException.class)
                .hasMessage("host nope not found");
    }

    @Test
    void groupRoundTripsEveryFieldConflictsAndKeepsTheNewestDecisions() {
        var rules = new io.polyvisor.autoscale.ScalingRules(2, 10, io.polyvisor.autoscale.Target.parse("metric:queue_depth=5"),
                java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(120), 3, 2, 0.2);
        var web = new io.polyvisor.autoscale.Group("web", new VmSpec(2, 256L << 20, new Boot.Kernel("/k", "/i", "console=ttyS0"), null, List.of()),
                80, 18080, rules, 3, 7, false);
        store.insertGroup(web);
        assertThat(store.group("web")).contains(web);
        assertThat(store.group("web").orElseThrow().template().exposePorts()).containsExactly(80);
        var api = new io.polyvisor.autoscale.Group("api", new VmSpec(1, 64L << 20, new Boot.Disk("/img.qcow2"), null, List.of()),
                8080, 18080, io.polyvisor.autoscale.ScalingRules.of(0, 2, null), 0, 1, false);
        assertThatThrownBy(() -> store.insertGroup(api)).isInstanceOf(Store.Conflict.class)
                .hasMessage("port 18080 is already the endpoint of group web");
        assertThatThrownBy(() -> store.insertGroup(web.withDesired(2))).isInstanceOf(Store.Conflict.class)
                .hasMessage("a group named web already exists");
        var changed = web.withRules(rules.withBounds(1, 4)).withMemberTaken().markedDeleting();
        store.updateGroup(changed);
        assertThat(store.groups()).containsExactly(changed);

        Instant t0 = now();
        for (int i = 0; i < 105; i++) {
            store.appendGroupDecision("web", new io.polyvisor.autoscale.Group.Decided(t0.plusSeconds(i), i % 5, 1, 0, "reason " + i));
        }
        var newest = store.groupDecisions("web", 200);
        assertThat(newest).hasSize(100);
        assertThat(newest.get(0)).isEqualTo(new io.polyvisor.autoscale.Group.Decided(t0.plusSeconds(104), 4, 1, 0, "reason 104"));
        assertThat(newest.get(99).reason()).isEqualTo("reason 5");
        store.deleteGroup("web");
        assertThat(store.groups()).isEmpty();
        assertThat(store.groupDecisions("web", 10)).isEmpty();
    }

    @Test
    void hostNameAndUriConflictsWriteNothing() {
        store.insertHost(host("h1"));
        var sameName = new Host("h1", URI.create("sim://local/other"), null, null, null);
        assertThatThrownBy(() -> store.insertHost(sameName)).isInstanceOf(Store.Conflict.class)
                .hasMessage("a host named h1 already exists");
        var sameUri = new Host("h2", URI.create("sim://local/h1"), null, null, null);
        assertThatThrownBy(() -> store.insertHost(sameUri)).isInstanceOf(Store.Conflict.class)
                .hasMessage("host URI sim://local/h1 is already registered as h1");
        store.insertHost(host("h3"));
        var moved = new Host("h3", URI.create("sim://local/h1"), null, null, null);
        assertThatThrownBy(() -> store.updateHost(moved)).isInstanceOf(Store.Conflict.class)
                .hasMessage("host URI sim://local/h1 is already registered as h1");
        assertThat(store.hosts()).containsExactly(host("h1"), host("h3"));
    }

    @Test
    void vmRoundTripsEveryField() {
        var rich = richVm("web1");
        var disk = new Vm(UUID.randomUUID(), "db1", new VmSpec(1, VmSpec.MIN_MEMORY, new Boot.Disk("/images/db.qcow2"),
                List.of(), List.of(5432)), Map.of(), null, null, null, new VmState.Failed("host h3 was fenced"), "h3");
        var kernelNoInitrd = vm("k1").withState(VmState.RUNNING);
        var unknown = new Vm(UUID.randomUUID(), "u1", new VmSpec(1, VmSpec.MIN_MEMORY,
                new Boot.Kernel("/boot/vmlinuz", null, ""), null, null), null, null, null, null,
                new VmState.Unknown("h1 unreachable"), "h1");
        for (Vm v : List.of(rich, disk, kernelNoInitrd, unknown)) store.insertVm(v);

        for (Vm v : List.of(rich, disk, kernelNoInitrd, unknown)) {
            assertThat(store.vm(v.id())).contains(v);
            assertThat(store.vmByName(v.name())).contains(v);
        }
        assertThat(store.vms()).containsExactly(disk, kernelNoInitrd, unknown, rich).isUnmodifiable();
        assertThat(store.vmsOnHost("h1")).containsExactly(unknown, rich);
        assertThat(store.vm(UUID.randomUUID())).isEmpty();
        assertThat(store.vmByName("absent")).isEmpty();
    }

    @Test
    void vmUpdateWritesEveryFieldAndDeleteRemovesEndpoints() {
        var v = vm("web1");
        store.insertVm(v);
        store.setEndpoints(v.id(), Map.of(80, 41000));
        var changed = new Vm(v.id(), "web2", richVm("x").spec(), Map.of("k", "v"), Protection.RESTART,
                Priority.LOWEST, PowerIntent.STOPPED, VmState.STOPPED, "h9");
        store.updateVm(changed);
        assertThat(store.vm(v.id())).contains(changed);
        assertThat(store.vmByName("web1")).isEmpty();

        store.deleteVm(v.id());
        store.deleteVm(v.id());
        assertThat(store.vm(v.id())).isEmpty();
        assertThat(store.endpoints(v.id())).isEmpty();
        assertThatThrownBy(() -> store.updateVm(v)).isInstanceOf(NoSuchElementException.class)
                .hasMessage("VM " + v.id() + " not found");
    }

    @Test
    void vmNameIsUniqueAmongVmsNotDeleted() {
        var first = vm("web1");
        store.insertVm(first);
        assertThatThrownBy(() -> store.insertVm(vm("web1"))).isInstanceOf(Store.Conflict.class)
                .hasMessage("a VM named web1 already exists");
        var other = vm("other");
        store.insertVm(other);
        assertThatThrownBy(() -> store.updateVm(new Vm(other.id(), "web1", other.spec(), null, null, null, null, null, null)))
                .isInstanceOf(Store.Conflict.class).hasMessage("a VM named web1 already exists");
        var sameId = new Vm(first.id(), "web3", first.spec(), null, null, null, null, null, null);
        assertThatThrownBy(() -> store.insertVm(sameId)).isInstanceOf(Store.Conflict.class)
                .hasMessage("a VM with id " + first.id() + " already exists");
        assertThat(store.vms()).extracting(Vm::name).containsExactly("other", "web1");

        // once web1 is deleted (but its row kept), the name is free again
        var deleted = first.withState(VmState.DELETED);
        store.updateVm(deleted);
        var second = vm("web1");
        store.insertVm(second);
        assertThat(store.vmByName("web1")).contains(second);
        assertThat(store.vm(first.id())).contains(deleted);
        assertThat(store.vms()).contains(deleted);
        assertThat(store.liveVms()).as("what placement counts: deleted rows take no room").containsExactly(other, second);
    }

    @Test
    void replaceVmWritesOnlyOverTheExpectedValue() {
        var v = vm("web1");
        store.insertVm(v);
        var running = v.withState(VmState.RUNNING);
        assertThat(store.replaceVm(v, running)).isTrue();
        var stale = v.withIntent(PowerIntent.STOPPED);
        assertThat(store.replaceVm(v, stale)).isFalse();
        assertThat(store.vm(v.id())).contains(running);
        store.deleteVm(v.id());
        assertThat(store.replaceVm(running, running.withHost("h1"))).isFalse();
        assertThat(store.vm(v.id())).isEmpty();
    }

    @Test
    void endpointsAreReplacedAsAWhole() {
        var v = vm("web1");
        store.insertVm(v);
        assertThat(store.endpoints(v.id())).isEmpty();
        store.setEndpoints(v.id(), Map.of(80, 41000, 22, 41001));
        assertThat(store.endpoints(v.id())).isEqualTo(Map.of(80, 41000, 22, 41001));
        store.setEndpoints(v.id(), Map.of(443, 41002));
        assertThat(store.endpoints(v.id())).isEqualTo(Map.of(443, 41002));
        store.setEndpoints(v.id(), Map.of());
        assertThat(store.endpoints(v.id())).isEmpty();
        var absent = UUID.randomUUID();
        assertThatThrownBy(() -> store.setEndpoints(absent, Map.of(80, 1))).isInstanceOf(NoSuchElementException.class)
                .hasMessage("VM " + absent + " not found");
    }

    @Test
    void taskRoundTripsEveryFieldAndUpdates() {
        Instant t0 = now();
        var vmId = UUID.randomUUID();
        var full = new Task(UUID.randomUUID(), Task.Kind.MIGRATE, vmId, "h2", Task.Status.FAILED, 3,
                "migration aborted: target refused", t0, t0.plusMillis(1500), Map.of("total_ms", "812", "downtime_ms", "41"));
        var bare = new Task(UUID.randomUUID(), Task.Kind.FENCE, null, null, Task.Status.QUEUED, 0, null, t0, t0, null);
        store.insertTask(full);
        store.insertTask(bare);
        assertThat(store.task(full.id())).contains(full);
        assertThat(store.task(bare.id())).contains(bare);
        assertThat(store.task(UUID.randomUUID())).isEmpty();
        assertThatThrownBy(() -> store.insertTask(bare)).isInstanceOf(Store.Conflict.class)
                .hasMessage("a task with id " + bare.id() + " already exists");

        var done = new Task(bare.id(), Task.Kind.FENCE, null, "h1", Task.Status.SUCCEEDED, 1, null, t0, t0.plusSeconds(2),
                Map.of("agent", "fence_ipmilan"));
        store.updateTask(done);
        assertThat(store.task(bare.id())).contains(done);
        var ghost = task(vmId, Task.Kind.START, Task.Status.RUNNING, t0);
        assertThatThrownBy(() -> store.updateTask(ghost)).isInstanceOf(NoSuchElementException.class)
                .hasMessage("task " + ghost.id() + " not found");
    }

    @Test
    void retentionRemovesTheOldestEventsByCountAndAgeAndSaysWhereTheLogStarts() {
        assertThat(store.eventsPrunedThrough()).as("a new database").isZero();
        store.inTransaction(tx -> {
            for (int i = 1; i <= 120; i++) tx.appendEvent("test.event", "e" + i, "event " + i);
            return null;
        });
        assertThat(store.pruneEvents(Instant.EPOCH, 1_000, 50)).as("nothing beyond the count, nothing old").isZero();
        assertThat(store.pruneEvents(Instant.EPOCH, 100, 15)).as("one batch of the 20 beyond the newest 100").isEqualTo(15);
        assertThat(store.eventsPrunedThrough()).isEqualTo(15);
        assertThat(store.pruneEvents(Instant.EPOCH, 100, 15)).isEqualTo(5);
        assertThat(store.eventsPrunedThrough()).isEqualTo(20);
        assertThat(store.events(0, 1000)).hasSize(100).first().extracting(io.polyvisor.model.Event::seq).isEqualTo(21L);
        // by age: every event is older than a cutoff in the future, whatever the count allows
        assertThat(store.pruneEvents(now().plusSeconds(60), 1_000, 1_000)).isEqualTo(100);
        assertThat(store.events(0, 1000)).isEmpty();
        assertThat(store.eventsPrunedThrough()).as("all gone: the last seq handed out").isEqualTo(120);
        assertThat(append(store, "test.event", "next", "after pruning").seq()).as("seqs are never reused").isEqualTo(121);
        assertThat(store.eventsPrunedThrough()).isEqualTo(120);
    }

    @Test
    void retentionRemovesOnlyFinishedTasksOldestFirst() {
        Instant t0 = now().minusSeconds(3600);
        var queued = task(UUID.randomUUID(), Task.Kind.START, Task.Status.QUEUED, t0.minusSeconds(10));
        var running = task(UUID.randomUUID(), Task.Kind.STOP, Task.Status.RUNNING, t0.minusSeconds(10));
        store.insertTask(queued);
        store.insertTask(running);
        var finished = new java.util.ArrayList<Task>();
        for (int i = 0; i < 30; i++) {
            var t = task(UUID.randomUUID(), Task.Kind.CREATE, i % 3 == 0 ? Task.Status.FAILED : Task.Status.SUCCEEDED, t0.plusSeconds(i));
            store.insertTask(t);
            finished.add(t);
        }
        assertThat(store.pruneFinishedTasks(Instant.EPOCH, 25, 1_000)).as("the 5 oldest finished beyond the newest 25").isEqualTo(5);
        assertThat(store.task(finished.get(4).id())).isEmpty();
        assertThat(store.task(finished.get(5).id())).isPresent();
        // by age: a cutoff after every creation removes every finished task, never a queued or running one
        assertThat(store.pruneFinishedTasks(now().plusSeconds(60), 1_000, 10)).isEqualTo(10);
        assertThat(store.pruneFinishedTasks(now().plusSeconds(60), 1_000, 100)).isEqualTo(15);
        assertThat(store.unfinishedTasks()).extracting(Task::id).containsExactlyInAnyOrder(queued.id(), running.id());
        assertThat(store.tasks(null, null, 1000)).hasSize(2);
    }

    @Test
    void theAuditJournalIsPrunedOldestFirstByCountAndByAge() {
        Instant t0 = now().minusSeconds(3_600);
        for (int i = 0; i < 30; i++) {
            store.appendAudit(new io.polyvisor.access.AuditEntry(0, t0.plusSeconds(i * 60L), "otto", "operator", "POST", "/api/v1/vms/" + i, 202));
        }
        List<Long> seqs = store.audit(0, null, 100).stream().map(io.polyvisor.access.AuditEntry::seq).toList();
        assertThat(seqs).hasSize(30);
        assertThat(store.auditNewest(null, 3)).as("the newest three, oldest first").extracting(io.polyvisor.access.AuditEntry::seq)
                .containsExactlyElementsOf(seqs.subList(27, 30));
        assertThat(store.auditNewest("nobody", 3)).isEmpty();
        assertThat(store.pruneAudit(Instant.EPOCH, 25, 1_000)).as("the 5 oldest beyond the newest 25").isEqualTo(5);
        assertThat(store.audit(0, null, 100)).extracting(io.polyvisor.access.AuditEntry::seq).containsExactlyElementsOf(seqs.subList(5, 30));
        // by age: entries before the cutoff go, in batches, oldest first
        Instant cutoff = t0.plusSeconds(20 * 60L);
        assertThat(store.pruneAudit(cutoff, 1_000, 10)).isEqualTo(10);
        assertThat(store.pruneAudit(cutoff, 1_000, 10)).isEqualTo(5);
        assertThat(store.pruneAudit(cutoff, 1_000, 10)).isZero();
        assertThat(store.audit(0, null, 100)).extracting(io.polyvisor.access.AuditEntry::seq).containsExactlyElementsOf(seqs.subList(20, 30));
    }

    @Test
    void tasksFilterNewestFirstAndUnfinishedOldestFirst() {
        Instant t0 = now();
        var a = UUID.randomUUID();
        var b = UUID.randomUUID();
        var t1 = task(a, Task.Kind.CREATE, Task.Status.SUCCEEDED, t0);
        var t2 = task(a, Task.Kind.START, Task.Status.RUNNING, t0.plusSeconds(1));
        var t3 = task(b, Task.Kind.CREATE, Task.Status.QUEUED, t0.plusSeconds(2));
        var t4 = task(a, Task.Kind.STOP, Task.Status.QUEUED, t0.plusSeconds(3));
        var t5 = task(b, Task.Kind.DELETE, Task.Status.QUEUED, t0.plusSeconds(3)); // same time as t4, inserted later
        for (Task t : List.of(t1, t2, t3, t4, t5)) store.insertTask(t);

        assertThat(store.tasks(null, null, 10)).containsExactly(t5, t4, t3, t2, t1).isUnmodifiable();
        assertThat(store.tasks(null, null, 2)).containsExactly(t5, t4);
        assertThat(store.tasks(a, null, 10)).containsExactly(t4, t2, t1);
        assertThat(store.tasks(null, Task.Status.QUEUED, 10)).containsExactly(t5, t4, t3);
        assertThat(store.tasks(a, Task.Status.QUEUED, 10)).containsExactly(t4);
        assertThat(store.tasks(null, Task.Status.CANCELLED, 10)).isEmpty();
        assertThat(store.unfinishedTasks()).containsExactly(t2, t3, t4, t5);
    }

    @Test
    void eventsAreNumberedInOrderAndPaged() {
        var appended = new ArrayList<Event>();
        for (int i = 0; i < 5; i++) appended.add(append(store, "vm.state", "web" + i, "running"));
        for (int i = 1; i < appended.size(); i++) {
            assertThat(appended.get(i).seq()).isGreaterThan(appended.get(i - 1).seq());
        }
        var nullable = append(store, "host.added", null, null);
        appended.add(nullable);

        assertThat(store.events(0, 100)).containsExactlyElementsOf(appended).isUnmodifiable();
        assertThat(store.events(appended.get(1).seq(), 2)).containsExactly(appended.get(2), appended.get(3));
        assertThat(store.events(nullable.seq(), 10)).isEmpty();
        assertThat(appended.getFirst().at()).isBeforeOrEqualTo(now()).isAfter(now().minusSeconds(60));
    }

    @Test
    void theLastEventSeqIsTheNewestReadableOne() {
        long before = store.lastEventSeq();
        assertThat(store.events(before, 10)).as("nothing readable after it").isEmpty();
        var last = append(store, "vm.state", "web1", "running");
        assertThat(store.lastEventSeq()).isEqualTo(last.seq()).isGreaterThan(before);
    }

    @Test
    void anEventsDataIsKeptAndNoneIsEmpty() {
        store.appendEvent("vm.state", "web1", "web1 is running on host h1", Map.of("state", "running", "host", "h1"));
        store.appendEvent("vm.state", "web2", "web2 is failed: boom", Map.of("state", "failed", "state_detail", "boom \"quoted\" ü"));
        store.appendEvent("host.added", "h1", "h1 added");
        var events = store.events(0, 100);
        assertThat(events).extracting(Event::data).containsExactly(Map.of("state", "running", "host", "h1"),
                Map.of("state", "failed", "state_detail", "boom \"quoted\" ü"), Map.of());
    }

    @Test
    void settingsAreUpserted() {
        assertThat(store.setting("balance.mode")).isEmpty();
        store.putSetting("balance.mode", "off");
        store.putSetting("balance.mode", "auto");
        store.putSetting("ha.enabled", "");
        assertThat(store.setting("balance.mode")).contains("auto");
        assertThat(store.setting("ha.enabled")).contains("");
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        var h = host("h1");
        var v = richVm("web1");
        var t = task(v.id(), Task.Kind.CREATE, Task.Status.RUNNING, now());
        store.insertHost(h);
        store.insertVm(v);
        store.setEndpoints(v.id(), Map.of(8080, 42000));
        store.insertTask(t);
        Event e = append(store, "vm.created", "web1", "created");
        store.putSetting("balance.mode", "auto");
        store.close();

        store = reopen();
        assertThat(store.hosts()).containsExactly(h);
        assertThat(store.vms()).containsExactly(v);
        assertThat(store.endpoints(v.id())).isEqualTo(Map.of(8080, 42000));
        assertThat(store.unfinishedTasks()).containsExactly(t);
        assertThat(store.events(0, 10)).containsExactly(e);
        assertThat(store.setting("balance.mode")).contains("auto");
        assertThat(append(store, "x", null, null).seq()).isGreaterThan(e.seq());
    }

    // --- transactions

    @Test
    void aFailedTransactionLeavesNothing() {
        var seen = new ArrayList<Event>();
        store.onEvent(seen::add);
        store.insertHost(host("h0"));
        var v = vm("web1");
        var boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction(s -> {
            s.insertVm(v);
            s.setEndpoints(v.id(), Map.of(80, 41000));
            s.insertTask(task(v.id(), Task.Kind.CREATE, Task.Status.QUEUED, now()));
            s.appendEvent("vm.created", "web1", "created");
            s.putSetting("k", "v");
            s.updateHost(host("h0").withState(HostState.FAILED));
            s.deleteHost("h0");
            assertThat(s.vm(v.id())).contains(v);
            throw boom;
        })).isSameAs(boom);

        assertThat(store.vms()).isEmpty();
        assertThat(store.endpoints(v.id())).isEmpty();
        assertThat(store.tasks(null, null, 10)).isEmpty();
        assertThat(store.events(0, 10)).isEmpty();
        assertThat(store.setting("k")).isEmpty();
        assertThat(store.hosts()).containsExactly(host("h0"));
        assertThat(seen).isEmpty();
    }

    @Test
    void aCommittedTransactionAppliesAllAndPublishesAfterCommit() {
        var seen = new ArrayList<Event>();
        store.onEvent(seen::add);
        var v = vm("web1");
        var t = task(v.id(), Task.Kind.CREATE, Task.Status.QUEUED, now());
        store.inTransaction(s -> {
            s.insertVm(v);
            s.insertTask(t);
            s.appendEvent("vm.created", "web1", "created");
            assertThat(seen).as("listeners hear of an event only after its commit").isEmpty();
            return null;
        });
        assertThat(seen).hasSize(1);
        Event e = seen.getFirst();
        assertThat(e).extracting(Event::type, Event::subject, Event::message).containsExactly("vm.created", "web1", "created");
        assertThat(store.vm(v.id())).contains(v);
        assertThat(store.task(t.id())).contains(t);
        assertThat(store.events(0, 10)).containsExactly(e);
    }

    @Test
    void afterCommitActionsRunOnceCommittedAndNeverOnRollback() {
        var ran = new ArrayList<String>();
        store.afterCommit(() -> ran.add("root"));
        assertThat(ran).as("the root store commits each call at once").containsExactly("root");
        var v = vm("web1");
        store.inTransaction(s -> {
            s.insertVm(v);
            s.afterCommit(() -> ran.add("committed, sees " + store.vm(v.id()).map(Vm::name).orElse("nothing")));
            s.inTransaction(inner -> {
                inner.afterCommit(() -> ran.add("nested"));
                return null;
            });
            assertThat(ran).as("nothing runs before the commit").hasSize(1);
            return null;
        });
        assertThat(ran).containsExactly("root", "committed, sees web1", "nested");
        assertThatThrownBy(() -> store.inTransaction(s -> {
            s.afterCommit(() -> ran.add("rolled back"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(ran).hasSize(3);
    }

    @Test
    void nestedTransactionsJoinTheOuterOne() {
        var v = vm("web1");
        assertThatThrownBy(() -> store.inTransaction(outer -> {
            outer.insertHost(host("h1"));
            outer.inTransaction(inner -> {
                assertThat(inner.host("h1")).as("the inner view sees the outer's uncommitted row").isPresent();
                inner.insertVm(v);
                return null;
            });
            throw new IllegalStateException("outer fails after the inner call returned");
        })).hasMessage("outer fails after the inner call returned");
        assertThat(store.vm(v.id())).isEmpty();
        assertThat(store.hosts()).isEmpty();
    }

    @Test
    void aConflictInsideATransactionChangesNothingAndTheTransactionGoesOn() {
        store.insertVm(vm("web1"));
        var v2 = vm("web2");
        store.inTransaction(s -> {
            assertThatThrownBy(() -> s.insertVm(vm("web1"))).hasMessage("a VM named web1 already exists");
            s.insertVm(v2);
            s.putSetting("after", "conflict");
            return null;
        });
        assertThat(store.vms()).extracting(Vm::name).containsExactly("web1", "web2");
        assertThat(store.setting("after")).contains("conflict");
    }

    @Test
    void aClosedListenerHearsNothingMore() throws Exception {
        var seen = new ArrayList<Event>();
        AutoCloseable sub = store.onEvent(seen::add);
        Event first = append(store, "a", null, null);
        sub.close();
        store.appendEvent("b", null, null);
        assertThat(seen).containsExactly(first);
    }
}
