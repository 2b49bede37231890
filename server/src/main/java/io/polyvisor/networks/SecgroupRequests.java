package io.polyvisor.networks;

import io.polyvisor.api.Nullable;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.network.SecurityGroup;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.function.Function;

/** Security groups: create, show, delete, and VMs joining and leaving them. Hosts follow within a sync round. */
final class SecgroupRequests {
    /** A group as the API shows it: its rules in the CLI's words, and its members' names. */
    record SecgroupView(String name, List<SecgroupRuleView> rules, @Nullable List<String> members) {}

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

    SecurityGroup create(SecurityGroup g) {
        requireRemotes(g);
        store.inTransaction(tx -> {
            tx.insertSecgroup(g);
            journal.record(tx, NetworksEvent.SECGROUP_CREATED, g.name(), g.name() + " created with " + g.rules().size() + " rule(s)");
            return null;
        });
        journal.signal();
        return g;
    }

    /** Replaces the rules of an existing group, in one transaction; hosts follow within a sync round. */
    SecurityGroup replaceRules(SecurityGroup g) {
        find(g.name());
        requireRemotes(g);
        store.inTransaction(tx -> {
            tx.replaceSecgroupRules(g);
            journal.record(tx, NetworksEvent.SECGROUP_RULES, g.name(), g.name() + " now has " + g.rules().size() + " rule(s)"
                    + (g.restrictsEgress() ? "" : ", egress open"));
            return null;
        });
        journal.signal();
        return g;
    }

    /** Every {@code secgroup:NAME} in the rules names an existing group (or the group itself), else a not-found refusal. */
    private void requireRemotes(SecurityGroup g) {
        for (var r : g.rules()) {
            if (r.remote() instanceof SecurityGroup.Remote.Group other && !other.name().equals(g.name()) && store.secgroup(other.name()).isEmpty()) {
                throw Refusal.notFound("security group " + other.name() + " not found (rule " + r.direction().remoteField() + " secgroup:" + other.name() + ")");
            }
        }
    }

    SecurityGroup find(String name) {
        return store.secgroup(name).orElseThrow(() -> Refusal.notFound("security group " + name + " not found"));
    }

    List<SecgroupView> list() {
        return store.secgroups().stream().map(g -> view(g, null)).toList();
    }

    SecgroupView show(SecurityGroup g) {
        var members = store.secgroupMembers();
        var names = store.vms().stream().filter(v -> members.getOrDefault(v.id(), java.util.Set.of()).contains(g.name()))
                .map(Vm::name).sorted().toList();
        return view(g, names);
    }

    static SecgroupView view(SecurityGroup g, List<String> members) {
        return new SecgroupView(g.name(), g.rules().stream().map(SecgroupRuleView::of).toList(), members);
    }

    SecurityGroup delete(String name) {
        var g = find(name);
        store.inTransaction(tx -> {
            tx.deleteSecgroup(name);
            journal.record(tx, NetworksEvent.SECGROUP_DELETED, name, name + " deleted");
            return null;
        });
        journal.signal();
        return g;
    }

    SecurityGroup attach(String name, String vmRef, boolean join) {
        var g = find(name);
        Vm vm = vms.apply(vmRef);
        store.inTransaction(tx -> {
            if (join) tx.addSecgroupMember(name, vm.id());
            else tx.removeSecgroupMember(name, vm.id());
            journal.record(tx, NetworksEvent.SECGROUP_MEMBERS, name, vm.name() + (join ? " joined " : " left ") + name);
            return null;
        });
        journal.signal();
        return g;
    }
}
