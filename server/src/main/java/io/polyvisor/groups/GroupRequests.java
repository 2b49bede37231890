package io.polyvisor.groups;

import io.polyvisor.autoscale.Decision;
import io.polyvisor.autoscale.Group;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.events.Journal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What the API asks of groups. A create checks everything, starts the group's HAProxy, then writes the row (and
 * stops HAProxy again if the write fails): a refused create leaves nothing behind. Members are the controller's.
 */
final class GroupRequests {
    private final Store store;
    private final Journal journal;
    private final Balancers balancers;
    private final GroupController controller;
    private final Clock clock;

    GroupRequests(Store store, Journal journal, Balancers balancers, GroupController controller, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.balancers = balancers;
        this.controller = controller;
        this.clock = clock;
    }

    /**
     * Creates the group in {@code project} (its members are that project's VMs) with its HAProxy; a null
     * {@code listenPort} picks a free loopback port.
     */
    Group create(Group draft, Integer listenPort, String project) {
        var owners = new io.polyvisor.api.Owners(store);
        for (var nic : draft.template().nics()) {
            if (nic.privateNetwork()) {
                store.network(nic.network()).orElseThrow(() -> Refusal.notFound("network " + nic.network() + " not found"));
                owners.requireIn(io.polyvisor.access.Owned.NETWORK, nic.network(), project);
            }
        }
        Group created = controller.locked(() -> {
            if (store.group(draft.name()).isPresent()) throw Refusal.conflict("a group named " + draft.name() + " already exists");
            int port = listenPort == null ? freePort() : listenPort;
            for (Group other : store.groups()) {
                if (other.listenPort() == port) throw Refusal.conflict("port " + port + " is already the endpoint of group " + other.name());
            }
            if (!free(port)) throw Refusal.conflict("port " + port + " on 127.0.0.1 is in use");
            Group g = new Group(draft.name(), draft.template(), draft.port(), port, draft.rules(), draft.desired(), 1, false, draft.healthPath());
            long pid;
            try {
                pid = balancers.start(g).pid();
            } catch (BalancerFailed e) {
                throw Refusal.conflict("cannot start the load balancer of group " + g.name() + ": " + e.getMessage());
            }
            try {
                store.inTransaction(tx -> {
                    tx.insertGroup(g);
                    tx.setOwner(io.polyvisor.access.Owned.GROUP, g.name(), project);
                    journal.record(tx, GroupsEvent.GROUP_CREATED, g.name(), "group " + g.name() + " created in project " + project
                            + ": endpoint 127.0.0.1:" + port
                            + ", min " + g.rules().min() + ", max " + g.rules().max() + ", target "
                            + (g.rules().target() == null ? "none" : g.rules().target().text()));
                    journal.record(tx, GroupsEvent.GROUP_BALANCER, g.name(), "HAProxy for group " + g.name() + " started on 127.0.0.1:"
                            + port + " (pid " + pid + ")");
                    return null;
                });
            } catch (RuntimeException e) {
                balancers.stop(g.name());
                throw e;
            }
            return g;
        });
        journal.signal();
        controller.wake();
        return created;
    }

    Group find(String name) {
        return store.group(name).orElseThrow(() -> Refusal.notFound("group " + name + " not found"));
    }

    /** New bounds and/or target ({@code clearTarget}: scale by hand from now on); null leaves a field as it is. */
    Group update(String name, Integer min, Integer max, Target target, boolean clearTarget, Integer warm) {
        Group g = controller.locked(() -> {
            Group cur = live(name);
            ScalingRules c = cur.rules();
            ScalingRules r = new ScalingRules(min == null ? c.min() : min, max == null ? c.max() : max,
                    clearTarget ? null : target != null ? target : c.target(), c.scaleOutWindow(), c.scaleInWindow(), c.stepOut(),
                    c.stepIn(), c.tolerance(), warm == null ? c.warm() : warm);
            Group next = cur.withRules(r);
            store.updateGroup(next);
            journal.record(GroupsEvent.GROUP_UPDATED, name, "group " + name + ": min " + r.min() + ", max " + r.max() + ", target "
                    + (r.target() == null ? "none" : r.target().text()) + ", warm " + r.warm());
            return next;
        });
        controller.wake();
        return g;
    }

    /** Sets desired by hand: only for a group without a target (else the policy owns desired). */
    Group scale(String name, int desired) {
        Group g = controller.locked(() -> {
            Group cur = live(name);
            if (cur.rules().target() != null) {
                throw Refusal.conflict("group " + name + " tracks " + cur.rules().target().text()
                        + "; change its min and max, or remove its target (target none) to scale it by hand");
            }
            InvalidInput.require(desired >= cur.rules().min() && desired <= cur.rules().max(),
                    "desired must be between min " + cur.rules().min() + " and max " + cur.rules().max() + ", got " + desired);
            Group next = cur.withDesired(desired);
            store.updateGroup(next);
            store.appendGroupDecision(name, new Group.Decided(clock.instant(), desired, 0, 0, "desired set to " + desired + " by hand"));
            journal.record(GroupsEvent.GROUP_UPDATED, name, "group " + name + ": desired set to " + desired + " by hand");
            return next;
        });
        controller.wake();
        return g;
    }

    /** Marks the group for removal: the controller drains and deletes its members, then its HAProxy and the group. */
    Group delete(String name) {
        Group g = controller.locked(() -> {
            Group cur = find(name);
            if (cur.deleting()) return cur;
            Group next = cur.markedDeleting();
            store.updateGroup(next);
            journal.record(GroupsEvent.GROUP_DELETED, name, "group " + name + " is being deleted: its members drain and go");
            return next;
        });
        controller.wake();
        return g;
    }

    /** Records a metric sample a member pushed; only for a group tracking that metric, from one of its members. */
    void push(String name, String member, String metric, double value) {
        Group g = live(name);
        if (!(g.rules().target() instanceof Target.Metric m) || !m.name().equals(metric)) {
            throw Refusal.conflict("group " + name + " tracks " + (g.rules().target() == null ? "no metric" : g.rules().target().text())
                    + ", not metric " + metric);
        }
        Vm vm = store.vmByName(member).filter(v -> name.equals(v.labels().get(Group.LABEL)))
                .orElseThrow(() -> Refusal.notFound("group " + name + " has no member " + member));
        controller.runtime(name).samples.put(vm.name(), new GroupRuntime.Sample(value, clock.instant()));
    }

    /** Every group, or those {@code visible} keeps. */
    List<GroupView.Summary> list(java.util.function.UnaryOperator<List<Group>> visible) {
        List<Vm> all = store.vms();
        Map<String, String> projects = store.owners(io.polyvisor.access.Owned.GROUP);
        return visible.apply(store.groups()).stream().map(g -> {
            var members = view(g, GroupController.members(all, g.name()));
            return new GroupView.Summary(g.name(), g.deleting() ? "deleting" : "active", g.desired(), g.rules().min(), g.rules().max(),
                    target(g), "127.0.0.1:" + g.listenPort(), members.size(), (int) members.stream().filter(MemberView::inRotation).count(),
                    projects.getOrDefault(g.name(), Vm.DEFAULT_PROJECT));
        }).toList();
    }

    GroupView show(Group g) {
        var members = view(g, GroupController.members(store.vms(), g.name()));
        GroupRuntime rt = controller.runtime(g.name());
        Decision last = rt.last;
        var lastView = last == null ? null : new GroupView.DecisionView(rt.lastAt, last.desired(), last.launch(), last.removals().size(), last.reason());
        var decisions = store.groupDecisions(g.name(), 20).stream()
                .map(d -> new GroupView.DecisionView(d.at(), d.desired(), d.launched(), d.removed(), d.reason())).toList();
        String failure = balancers.failure(g.name());
        String balancer = balancers.get(g.name()).isPresent() ? "running" : "down" + (failure == null ? "" : ": " + failure);
        ScalingRules r = g.rules();
        return new GroupView(g.name(), store.owner(io.polyvisor.access.Owned.GROUP, g.name()), g.deleting() ? "deleting" : "active",
                g.desired(), r.min(), r.max(), target(g), g.port(),
                g.healthPath(), "127.0.0.1:" + g.listenPort(), balancer, g.template().vcpus(), g.template().memoryBytes(), members, lastView, decisions,
                new GroupView.Rules(r.scaleOutWindow().toSeconds(), r.scaleInWindow().toSeconds(), r.stepOut(), r.stepIn(), r.tolerance(), r.warm()));
    }

    private List<MemberView> view(Group g, List<Vm> vms) {
        Map<String, Haproxy.Server> servers = balancers.get(g.name()).map(h -> {
            try {
                return h.servers();
            } catch (RuntimeException e) {
                return Map.<String, Haproxy.Server>of();
            }
        }).orElse(Map.of());
        GroupRuntime rt = controller.runtime(g.name());
        return vms.stream().map(vm -> {
            Haproxy.Server s = servers.get(vm.name());
            boolean inRotation = s != null && s.inRotation();
            String state = controller.state(g, vm, rt, servers, clock.instant()).label();
            Integer port = store.endpoints(vm.id()).get(g.port());
            return new MemberView(vm.name(), vm.host(), state, vm.state().label(), inRotation, port == null ? null : "127.0.0.1:" + port);
        }).toList();
    }

    private Group live(String name) {
        Group g = find(name);
        if (g.deleting()) throw Refusal.conflict("group " + name + " is being deleted");
        return g;
    }

    private static String target(Group g) {
        return g.rules().target() == null ? null : g.rules().target().text();
    }

    private static boolean free(int port) {
        try (var s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port", e);
        }
    }
}
