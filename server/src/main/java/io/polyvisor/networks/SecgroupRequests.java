package io.polyvisor.networks;

import io.polyvisor.access.Owned;
import io.polyvisor.access.Principal;
import io.polyvisor.api.Nullable;
import io.polyvisor.api.Owners;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.network.SecurityGroup;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.function.Function;

/**
 * Security groups: create, show, delete, and VMs joining and leaving them. Hosts follow within a sync round. A group
 * belongs to a project: a caller who does not see that project finds no group of its name (as for a missing one), and
 * only the VMs of its project join it.
 */
final class SecgroupRequests {
    /** A group as the API shows it: its project, its rules in the CLI's words, and its members' names. */
    record SecgroupView(String name, String project, List<SecgroupRuleView> rules, @Nullable List<String> members) {}

    /** One rule: {@code from} for an ingress rule, {@code to} for an egress one. */
    record SecgroupRuleView(String direction, String allow, @Nullable String from, @Nullable String to) {
        static SecgroupRuleView of(SecurityGroup.Rule r) {
            boolean in = r.direction() == SecurityGroup.Direction.INGRESS;
            return new SecgroupRuleView(r.direction().word(), r.allow(), in ? r.remote().toString() : null, in ? null : r.remote().toString());
        }
    }

    private final Store store;
    private final Journal journal;
    private final Function<String, Vm> vms;

    /** @param vms the VM with a name or UUID, or a not-found refusal */
    SecgroupRequests(Store store, Journal journal, Function<String, Vm> vms) {
        this.store = store;
        this.journal = journal;
        this.vms = vms;
    }

    /** Creates {@code g} in {@code project}, which the caller has been checked to see. */
    SecurityGroup create(Principal caller, SecurityGroup g, String project) {
        requireRemotes(caller, g, project);
        store.inTransaction(tx -> {
            tx.insertSecgroup(g);
            tx.setOwner(Owned.SECGROUP, g.name(), project);
            journal.record(tx, NetworksEvent.SECGROUP_CREATED, g.name(), g.name() + " created in project " + project + " with "
                    + g.rules().size() + " rule(s)");
            return null;
        });
        journal.signal();
        return g;
    }

    /** Replaces the rules of an existing group the caller sees, in one transaction; hosts follow within a sync round. */
    SecurityGroup replaceRules(Principal caller, SecurityGroup g) {
        find(caller, g.name());
        requireRemotes(caller, g, store.owner(Owned.SECGROUP, g.name()));
        store.inTransaction(tx -> {
            tx.replaceSecgroupRules(g);
            journal.record(tx, NetworksEvent.SECGROUP_RULES, g.name(), g.name() + " now has " + g.rules().size() + " rule(s)"
                    + (g.restrictsEgress() ? "" : ", egress open"));
            return null;
        });
        journal.signal();
        return g;
    }

    /**
     * Adds ({@code add}) or removes one rule, reading and writing the group's rules in one transaction with its row
     * locked, so that concurrent edits of one group each apply to what the other left.
     */
    SecurityGroup editRule(Principal caller, String name, SecurityGroup.Rule rule, boolean add) {
        find(caller, name);
        if (add) requireRemotes(caller, new SecurityGroup(name, List.of(rule)), store.owner(Owned.SECGROUP, name));
        SecurityGroup out = store.inWriteTransaction(tx -> {
            SecurityGroup cur = tx.secgroupForUpdate(name).orElseThrow(() -> notFound(name));
            SecurityGroup next = add ? cur.with(rule) : cur.without(rule);
            tx.replaceSecgroupRules(next);
            journal.record(tx, NetworksEvent.SECGROUP_RULES, name, name + (add ? " gained" : " lost") + " rule " + rule.text() + ", now "
                    + next.rules().size() + " rule(s)" + (next.restrictsEgress() ? "" : ", egress open"));
            return next;
        });
        journal.signal();
        return out;
    }

    /**
     * Every {@code secgroup:NAME} in the rules names the group itself or another group of its own {@code project}: a
     * group the caller does not see is not found (as a missing one); one of another project the caller sees is a 409,
     * since a rule naming it would open the group to another tenant's VMs.
     */
    private void requireRemotes(Principal caller, SecurityGroup g, String project) {
        var owners = store.owners(Owned.SECGROUP);
        for (var r : g.rules()) {
            if (!(r.remote() instanceof SecurityGroup.Remote.Group other) || other.name().equals(g.name())) continue;
            String theirs = owners.getOrDefault(other.name(), Vm.DEFAULT_PROJECT);
            String rule = "rule " + r.direction().remoteField() + " secgroup:" + other.name();
            if (store.secgroup(other.name()).isEmpty() || !caller.sees(theirs)) {
                throw Refusal.notFound("security group " + other.name() + " not found (" + rule + ")");
            }
            if (!theirs.equals(project)) {
                throw Refusal.conflict(rule + " names a group of project " + theirs + "; a rule names only groups of its own group's project ("
                        + project + ")");
            }
        }
    }

    /** The group, if the caller sees its project; else {@code security group NAME not found}, as for a missing one. */
    SecurityGroup find(Principal caller, String name) {
        var g = store.secgroup(name).orElseThrow(() -> notFound(name));
        if (!caller.sees(store.owner(Owned.SECGROUP, name))) throw notFound(name);
        return g;
    }

    private static Refusal notFound(String name) {
        return Refusal.notFound("security group " + name + " not found");
    }

    List<SecgroupView> list(Principal caller) {
        var owners = store.owners(Owned.SECGROUP);
        return store.secgroups().stream().map(g -> view(g, owners.getOrDefault(g.name(), Vm.DEFAULT_PROJECT), null))
                .filter(v -> caller.sees(v.project())).toList();
    }

    /** The group with its members that the caller sees (members are VMs of its project; see {@link #attach}). */
    SecgroupView show(Principal caller, SecurityGroup g) {
        var members = store.secgroupMembers();
        var names = store.vms().stream().filter(v -> members.getOrDefault(v.id(), java.util.Set.of()).contains(g.name()))
                .filter(v -> caller.sees(v.project())).map(Vm::name).sorted().toList();
        return view(g, store.owner(Owned.SECGROUP, g.name()), names);
    }

    static SecgroupView view(SecurityGroup g, String project, List<String> members) {
        return new SecgroupView(g.name(), project, g.rules().stream().map(SecgroupRuleView::of).toList(), members);
    }

    /** Deletes a group the caller sees; returns it as it was, with its project. */
    SecgroupView delete(Principal caller, String name) {
        var g = find(caller, name);
        String project = store.owner(Owned.SECGROUP, name);
        store.inTransaction(tx -> {
            tx.deleteSecgroup(name);
            journal.record(tx, NetworksEvent.SECGROUP_DELETED, name, name + " deleted");
            return null;
        });
        journal.signal();
        return view(g, project, null);
    }

    /**
     * A VM the caller sees joins ({@code join}) or leaves a group the caller sees. Only a VM of the group's project joins
     * (409 otherwise, as for a NIC on another project's network); any member may leave.
     */
    SecurityGroup attach(Principal caller, String name, String vmRef, boolean join) {
        var g = find(caller, name);
        Vm vm = vms.apply(vmRef);
        if (!caller.sees(vm.project())) throw Refusal.notFound("vm " + vmRef + " not found");
        store.inTransaction(tx -> {
            if (join) {
                new Owners(tx).requireIn(Owned.SECGROUP, name, vm.project());
                tx.addSecgroupMember(name, vm.id());
            } else {
                tx.removeSecgroupMember(name, vm.id());
            }
            journal.record(tx, NetworksEvent.SECGROUP_MEMBERS, name, vm.name() + (join ? " joined " : " left ") + name);
            return null;
        });
        journal.signal();
        return g;
    }
}
