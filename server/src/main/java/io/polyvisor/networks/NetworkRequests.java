package io.polyvisor.networks;

import io.polyvisor.access.Owned;

import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;

/**
 * Network create, show and delete. A create takes the next VNI first, which locks the VNI counter until it commits:
 * creates are serialized in the database (and in this process), so the overlap check sees every network committed.
 */
final class NetworkRequests {
    /** A validated create request; {@code gateway} null for the network's first address; {@code project} owns it. */
    record Create(String name, Cidr cidr, Ipv4 gateway, boolean dhcp, String project) {}

    private final Store store;
    private final Journal journal;

    NetworkRequests(Store store, Journal journal) {
        this.store = store;
        this.journal = journal;
    }

    synchronized Network create(Create c) {
        // validates everything that does not need the store first: a bad gateway must not cost a VNI
        new Network(c.name(), c.cidr(), c.gateway(), c.dhcp(), 1);
        Network made = store.inTransaction(tx -> {
            Network n = new Network(c.name(), c.cidr(), c.gateway(), c.dhcp(), tx.nextVni());
            if (tx.network(c.name()).isPresent()) throw Refusal.conflict("a network named " + c.name() + " already exists");
            n.requireApart(tx.networks());
            tx.insertNetwork(n);
            tx.setOwner(Owned.NETWORK, n.name(), c.project());
            journal.record(tx, NetworksEvent.NETWORK_CREATED, n.name(), n.name() + " created: " + n.cidr() + ", gateway "
                    + n.gateway() + ", vni " + n.vni() + (n.dhcp() ? ", dhcp" : "") + ", project " + c.project());
            return n;
        });
        journal.signal();
        return made;
    }

    Network find(String name) {
        return store.network(name).orElseThrow(() -> Refusal.notFound("network " + name + " not found"));
    }

    List<Network> list() {
        return store.networks();
    }

    NetworkView show(Network n) {
        var out = new ArrayList<NetworkView.AddressView>();
        store.addresses(n.name()).forEach((ip, vm) ->
                out.add(new NetworkView.AddressView(ip, vm, store.vm(vm).map(io.polyvisor.model.Vm::name).orElse(null))));
        return NetworkView.of(n, store.owner(Owned.NETWORK, n.name()), out);
    }

    /** Deletes the network; refused (409, naming a VM) while a NIC holds an address on it. */
    Network delete(String name) {
        Network n = find(name);
        store.inTransaction(tx -> {
            tx.deleteNetwork(name);
            journal.record(tx, NetworksEvent.NETWORK_DELETED, name, name + " deleted");
            return null;
        });
        journal.signal();
        return n;
    }
}
