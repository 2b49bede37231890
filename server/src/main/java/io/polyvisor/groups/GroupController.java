package io.polyvisor.groups;

import io.polyvisor.autoscale.Decision;
import io.polyvisor.autoscale.Group;
import io.polyvisor.autoscale.GroupSnapshot;
import io.polyvisor.autoscale.Member;
import io.polyvisor.autoscale.ScaleOutProbe;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.autoscale.TargetTracking;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.PlacementRules;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The groups' control loop, every {@link GroupTiming#interval()}: for each group, observe (its member VMs, HAProxy's
 * view of them, the tracked metric), move members through {@link Rotation} (join once running and HAProxy's check
 * passed; drain, remove, then delete), ask {@link TargetTracking} for a decision, record it, and carry it out
 * through {@link VmRequests} (which queues create and delete tasks on the one task queue).
 *
 * <p>API changes to a group run under this controller's lock ({@link #locked}), so an evaluation never writes
 * over them.
 */
final class GroupController {
    private static final Logger log = LoggerFactory.getLogger(GroupController.class);

    private final Store store;
    private final Journal journal;
    private final VmRequests vms;
    private final UsageView usage;
    private final Balancers balancers;
    private final Clock clock;
    private final GroupTiming timing;
    private final Map<String, GroupRuntime> runtime = new ConcurrentHashMap<>();
    private ScheduledExecutorService loop;

    GroupController(Store store, Journal journal, VmRequests vms, UsageView usage, Balancers balancers, Clock clock, GroupTiming timing) {
        this.store = store;
        this.journal = journal;
        this.vms = vms;
        this.usage = usage;
        this.balancers = balancers;
        this.clock = clock;
        this.timing = timing;
    }

    synchronized void start() {
        if (loop != null) return;
        loop = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("groups").unstarted(r));
        loop.scheduleWithFixedDelay(this::tickSafely, 0, timing.interval().toMillis(), TimeUnit.MILLISECONDS);
        long poll = timing.joinPoll().toMillis(), probe = timing.scaleOutProbe().toMillis();
        loop.scheduleWithFixedDelay(() -> safely("join poll", this::pollJoins), poll, poll, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> safely("scale-out probe", this::probe), probe, probe, TimeUnit.MILLISECONDS);
    }

    private void safely(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("groups {} failed: {}", what, e.toString(), e);
        }
    }

    /**
     * The join poll: for every member on its way into rotation, HAProxy's stats only (no store read, no policy), and
     * {@code set server ... state ready} as soon as HAProxy's own check of it passed.
     */
    synchronized void pollJoins() {
        for (var e : runtime.entrySet()) {
            GroupRuntime rt = e.getValue();
            if (rt.entering.isEmpty()) continue;
            Haproxy h = balancers.get(e.getKey()).orElse(null);
            if (h == null) continue;
            Map<String, Haproxy.Server> servers = h.servers();
            for (String name : List.copyOf(rt.entering)) {
                Haproxy.Server s = servers.get(name);
                if (s == null || rt.leaving.containsKey(name) || Rotation.advance(h, s)) rt.entering.remove(name);
            }
        }
    }

    /** Groups the scale-out probe found under too much load, with its reason; read by the evaluation it starts. */
    private final Map<String, String> early = new ConcurrentHashMap<>();

    /**
     * The scale-out fast path ({@link ScaleOutProbe}): reads each group's tracked metric the way an evaluation does,
     * and evaluates at once when a group's load exceeds what its desired members carry. Scale-in is left to the period.
     */
    void probe() {
        if (runtime.isEmpty()) return; // no group evaluated yet (a server without groups reads nothing)
        Instant now = clock.instant();
        List<Vm> all = null;
        for (Group g : store.groups()) {
            Target t = g.rules().target();
            if (t == null || g.deleting() || g.desired() >= g.rules().max() || !g.rules().scaleOutWindow().isZero()) continue;
            Haproxy h = balancers.get(g.name()).orElse(null);
            if (h == null) continue;
            List<Vm> vms = List.of();
            List<Member> ready = List.of();
            if (!(t instanceof Target.Rps)) { // the request rate needs no member list; CPU and pushed samples do
                if (all == null) all = store.vms();
                vms = members(all, g.name());
                var names = vms.stream().map(Vm::name).collect(java.util.stream.Collectors.toSet());
                ready = h.servers().values().stream().filter(s -> s.inRotation() && names.contains(s.name()))
                        .map(s -> new Member(s.name(), Member.State.READY)).toList();
            }
            String why = ScaleOutProbe.due(g.rules(), g.desired(), load(g, vms, ready, h, runtime(g.name()), now));
            if (why != null) early.put(g.name(), why);
        }
        if (!early.isEmpty()) tickSafely();
    }

    void close() {
        ScheduledExecutorService l;
        synchronized (this) {
            l = loop;
            loop = null;
        }
        if (l != null) {
            l.shutdown(); // an evaluation in progress finishes: it is short, and half of one would leave a member half joined
            try {
                if (!l.awaitTermination(10, TimeUnit.SECONDS)) l.shutdownNow();
            } catch (InterruptedException e) {
                l.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        balancers.close();
    }

    /** Evaluates soon, off the caller's thread (after an API change). */
    void wake() {
        ScheduledExecutorService l = loop;
        if (l != null && !l.isShutdown()) l.execute(this::tickSafely);
    }

    /** Runs {@code work} with no evaluation in progress. */
    synchronized <T> T locked(Supplier<T> work) {
        return work.get();
    }

    GroupRuntime runtime(String group) {
        return runtime.computeIfAbsent(group, g -> new GroupRuntime());
    }

    void forget(String group) {
        runtime.remove(group);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("groups evaluation failed; trying again in {}", timing.interval(), e);
        }
        // a member on its way into rotation (or into the warm pool) is followed every health-check interval, not
        // every evaluation period: it joins once HAProxy's check passed, not up to a period later
        ScheduledExecutorService l = loop;
        if (joining && l != null && !l.isShutdown() && followUpPending.compareAndSet(false, true)) {
            l.schedule(() -> {
                followUpPending.set(false);
                tickSafely();
            }, timing.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the last evaluation saw a member starting or being prepared (see {@link #tickSafely}). */
    private volatile boolean joining;
    private final java.util.concurrent.atomic.AtomicBoolean followUpPending = new java.util.concurrent.atomic.AtomicBoolean();

    synchronized void tick() {
        joining = false;
        try {
            List<Group> groups = store.groups();
            if (groups.isEmpty()) return; // a server without groups reads nothing more
            List<Vm> all = store.vms();
            for (Group g : groups) {
                try {
                    evaluate(g, members(all, g.name()));
                } catch (RuntimeException e) {
                    log.warn("group {}: evaluation failed: {}", g.name(), e.toString(), e);
                }
            }
        } finally {
            early.clear();
        }
    }

    static List<Vm> members(List<Vm> all, String group) {
        return all.stream().filter(v -> group.equals(v.labels().get(Group.LABEL)) && !(v.state() instanceof VmState.Deleted)).toList();
    }

    private void evaluate(Group g, List<Vm> vms) {
        GroupRuntime rt = runtime(g.name());
        Instant now = clock.instant();
        var ensured = balancers.ensure(g);
        if (ensured.started()) {
            journal.record(GroupsEvent.GROUP_BALANCER, g.name(), ensured.failure() == null
                    ? "HAProxy for group " + g.name() + " started on 127.0.0.1:" + g.listenPort() + " (pid " + ensured.haproxy().pid() + ")"
                    : "HAProxy for group " + g.name() + " is down: " + ensured.failure());
            rt.joined.clear();
        }
        Haproxy h = ensured.haproxy();
        Map<String, Haproxy.Server> servers = h == null ? Map.of() : h.servers();

        // members move through rotation
        var states = new ArrayList<Member>();
        for (Vm vm : vms) {
            rt.firstSeen.putIfAbsent(vm.name(), now);
            Member.State st = state(g, vm, rt, servers, now);
            if (st == Member.State.DRAINING) leave(g, vm, rt, h, servers, now);
            else if (st == Member.State.PREPARING) WarmPool.suspendOnceServing(vm, store.endpoints(vm.id()).get(g.port()), g.healthPath(), this.vms, rt);
            else if (st == Member.State.STARTING && h != null && vm.state() instanceof VmState.Running) {
                Integer port = store.endpoints(vm.id()).get(g.port());
                if (port != null) {
                    if (Rotation.join(h, servers, vm.name(), port)) st = Member.State.READY;
                    else rt.entering.add(vm.name()); // the join poll enables it once its check passed
                }
            }
            if (st == Member.State.READY) rt.entering.remove(vm.name());
            if (st == Member.State.READY && rt.joined.putIfAbsent(vm.name(), true) == null) {
                journal.record(GroupsEvent.GROUP_JOINED, g.name(), vm.name() + " passed its health check and is in rotation of group " + g.name());
            }
            states.add(new Member(vm.name(), st));
            if (st == Member.State.STARTING || st == Member.State.PREPARING) joining = true;
        }
        var present = vms.stream().map(Vm::name).collect(java.util.stream.Collectors.toSet());
        rt.firstSeen.keySet().retainAll(present);
        rt.leaving.keySet().retainAll(present);
        rt.deleting.keySet().retainAll(present);
        rt.joined.keySet().retainAll(present);
        rt.samples.keySet().retainAll(present);
        rt.preparing.keySet().retainAll(present);
        rt.entering.retainAll(present);

        if (g.deleting() && vms.isEmpty()) {
            balancers.stop(g.name());
            store.deleteGroup(g.name());
            forget(g.name());
            journal.record(GroupsEvent.GROUP_DELETED, g.name(), "group " + g.name() + " deleted: its members are gone");
            return;
        }

        ScalingRules rules = g.deleting() ? new ScalingRules(0, g.rules().max(), null, g.rules().scaleOutWindow(),
                g.rules().scaleInWindow(), g.rules().stepOut(), Integer.MAX_VALUE / 2, g.rules().tolerance()) : g.rules();
        int desired = g.deleting() ? 0 : g.desired();
        Double load = load(g, vms, states, h, rt, now);
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(now, desired, states, load, rt.history));
        rt.history = d.history();
        rt.last = d;
        rt.lastAt = now;
        act(g, d, vms, rt, h, servers, now);
        if (d.launch() > 0 || d.prewarm() > 0 || !d.resume().isEmpty()) joining = true;
    }

    /** The member's state as the policy sees it (the view shows the same). */
    Member.State state(Group g, Vm vm, GroupRuntime rt, Map<String, Haproxy.Server> servers, Instant now) {
        if (rt.leaving.containsKey(vm.name())) return Member.State.DRAINING;
        if (vm.state() instanceof VmState.Failed) return Member.State.FAILED;
        // the warm pool: suspended on purpose once built (a suspend under way is still preparing)
        if (vm.intent() == PowerIntent.PAUSED) {
            if (!(vm.state() instanceof VmState.Paused)) return Member.State.PREPARING;
            rt.preparing.remove(vm.name());
            return Member.State.WARM;
        }
        if (rt.preparing.containsKey(vm.name())) {
            Instant since = rt.firstSeen.getOrDefault(vm.name(), now);
            return now.isAfter(since.plus(timing.startTimeout())) ? Member.State.FAILED : Member.State.PREPARING;
        }
        // stopped on purpose (by hand, or by another feature); a member being created is stopped between define and start
        if (vm.intent() == PowerIntent.STOPPED) return Member.State.FAILED;
        Haproxy.Server s = servers.get(vm.name());
        if (s != null && s.inRotation() && vm.state() instanceof VmState.Running) return Member.State.READY;
        Instant seen = rt.firstSeen.getOrDefault(vm.name(), now);
        if (now.isAfter(seen.plus(timing.startTimeout()))) return Member.State.FAILED;
        return Member.State.STARTING;
    }

    /** One step of a member leaving: drain in HAProxy, then delete its VM once HAProxy no longer has it. */
    private void leave(Group g, Vm vm, GroupRuntime rt, Haproxy h, Map<String, Haproxy.Server> servers, Instant now) {
        GroupRuntime.Leaving l = rt.leaving.get(vm.name());
        boolean force = now.isAfter(l.since().plus(timing.drainTimeout()));
        boolean gone = h == null || Rotation.leave(h, servers, vm.name(), force);
        if (!gone || rt.deleting.containsKey(vm.name())) return;
        try {
            vms.request(vm.id().toString(), Task.Kind.DELETE, null);
            rt.deleting.put(vm.name(), true);
            journal.record(GroupsEvent.GROUP_LEFT, g.name(), vm.name() + " left group " + g.name() + " (" + l.reason() + "); deleting its VM");
        } catch (Refusal busy) {
            log.debug("group {}: delete of {} waits: {}", g.name(), vm.name(), busy.getMessage()); // a task of its own is running
        }
    }

    /** The tracked metric summed over the members in rotation, or null without a measurement. */
    private Double load(Group g, List<Vm> vms, List<Member> states, Haproxy h, GroupRuntime rt, Instant now) {
        Target t = g.rules().target();
        if (t == null) return null;
        Map<String, Vm> byName = new HashMap<>();
        vms.forEach(v -> byName.put(v.name(), v));
        List<String> ready = states.stream().filter(m -> m.state() == Member.State.READY).map(Member::name).toList();
        return switch (t) {
            case Target.Rps r -> h == null ? null : h.requestRate();
            case Target.Cpu c -> {
                double sum = 0;
                int measured = 0;
                for (String m : ready) {
                    Vm vm = byName.get(m);
                    var u = usage.vm(vm.id());
                    if (u.isEmpty()) continue;
                    sum += 100.0 * u.get().cpuCores() / vm.spec().vcpus();
                    measured++;
                }
                yield measured == 0 ? null : sum * ready.size() / measured; // members not measured yet count as the average
            }
            case Target.Metric m -> {
                double sum = 0;
                int measured = 0;
                Instant fresh = now.minus(timing.interval().multipliedBy(6)).minusSeconds(30);
                for (String name : ready) {
                    GroupRuntime.Sample s = rt.samples.get(name);
                    if (s == null || s.at().isBefore(fresh)) continue;
                    sum += s.value();
                    measured++;
                }
                yield measured == 0 ? null : sum * ready.size() / measured;
            }
        };
    }

    /**
     * A warm member goes into HAProxy (in maintenance, checked every fast interval) as soon as its resume is queued, not
     * once an evaluation sees it running: it served before it was suspended, so its first check after the resume
     * passes and the join poll enables it. Until then its checks fail (the guest is paused) and it gets no request.
     */
    private void enterAtOnce(Group g, Vm vm, GroupRuntime rt, Haproxy h, Map<String, Haproxy.Server> servers) {
        Integer port = store.endpoints(vm.id()).get(g.port());
        if (h == null || port == null) return;
        try {
            Rotation.join(h, servers, vm.name(), port);
            rt.entering.add(vm.name());
        } catch (RuntimeException e) {
            log.debug("group {}: {} joins at the next evaluation: {}", g.name(), vm.name(), e.toString()); // as a cold member does
        }
    }

    private void act(Group g, Decision d, List<Vm> members, GroupRuntime rt, Haproxy h, Map<String, Haproxy.Server> servers, Instant now) {
        for (Decision.Removal r : d.removals()) {
            if (rt.leaving.putIfAbsent(r.member(), new GroupRuntime.Leaving(now, r.reason())) != null) continue;
            members.stream().filter(v -> v.name().equals(r.member())).findFirst().ifPresent(vm -> leave(g, vm, rt, h, servers, now));
        }
        for (String name : d.resume()) {
            members.stream().filter(v -> v.name().equals(name)).findFirst().ifPresent(vm -> {
                try {
                    vms.request(vm.id().toString(), Task.Kind.RESUME, null);
                    rt.firstSeen.put(name, now); // its start timeout runs from the resume
                    enterAtOnce(g, vm, rt, h, servers);
                } catch (Refusal busy) {
                    log.debug("group {}: resume of {} waits: {}", g.name(), name, busy.getMessage());
                }
            });
        }
        Group next = g;
        int launched = 0;
        String stoppedBy = null;
        for (int i = 0; i < d.launch() + d.prewarm() && stoppedBy == null; i++) {
            boolean warm = i >= d.launch();
            for (int attempt = 0; attempt < 5; attempt++) { // a name taken by a VM outside the group: take the next number
                String name = next.memberName();
                next = next.withMemberTaken();
                try {
                    if (warm) rt.preparing.put(name, true); // before the create: the next evaluation may see it at once
                    // members belong to the group's project: its quota counts them, its operators see them
                    vms.create(new VmRequests.Create(name, next.template(), Map.of(Group.LABEL, g.name(),
                            PlacementRules.SOFT_ANTI_AFFINITY, "group-" + g.name()), Protection.NONE, Priority.MEDIUM, null, true,
                            store.owner(io.polyvisor.access.Owned.GROUP, g.name()), null));
                    launched++;
                    break;
                } catch (Refusal r) {
                    rt.preparing.remove(name);
                    if (r.kind() != Refusal.Kind.CONFLICT) {
                        stoppedBy = r.getMessage();
                        break;
                    }
                }
            }
        }
        String trigger = early.get(g.name());
        String reason = d.reason() + (stoppedBy == null ? "" : "; launch stopped after " + launched + ": " + stoppedBy)
                + (trigger == null || !d.acts() ? "" : " (" + trigger + ")");
        boolean newDesired = !g.deleting() && d.desired() != g.desired();
        if (newDesired || next.nextMember() != g.nextMember()) {
            long taken = next.nextMember();
            store.group(g.name()).ifPresent(fresh -> store.updateGroup(new Group(fresh.name(), fresh.template(), fresh.port(),
                    fresh.listenPort(), fresh.rules(), newDesired ? fresh.rules().clamp(d.desired()) : fresh.desired(),
                    Math.max(fresh.nextMember(), taken), fresh.deleting(), fresh.healthPath())));
        }
        if (d.acts() || d.desired() != g.desired() || stoppedBy != null) {
            store.appendGroupDecision(g.name(), new Group.Decided(now, d.desired(), launched, d.removals().size(), reason));
            if (d.acts()) journal.record(GroupsEvent.GROUP_SCALED, g.name(), "group " + g.name() + ": " + reason);
        }
    }
}
