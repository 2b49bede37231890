package io.polyvisor.networks;

import io.polyvisor.access.Owned;
import io.polyvisor.api.Owners;

import io.polyvisor.lifecycle.VmNetworking;
import io.polyvisor.model.Nic;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.network.Addresses;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.MacAddress;
import io.polyvisor.network.Network;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Private NICs for the lifecycle: a MAC and an address for each at create (kept in the VM's spec from then on, so
 * restarts, migrations and HA restarts reuse them), and the networks made present on a host before a VM goes there.
 */
public final class NetworkBinding implements VmNetworking {
    private final Store store;
    private final NetworkSync sync;
    private final SecureRandom random = new SecureRandom();

    public NetworkBinding(Store store, NetworkSync sync) {
        this.store = store;
        this.sync = sync;
    }

    @Override
    public VmSpec assign(Store tx, UUID vm, String project, VmSpec spec) {
        if (spec.nics().stream().noneMatch(Nic::privateNetwork)) return spec;
        var nics = new ArrayList<Nic>();
        for (Nic n : spec.nics()) {
            if (!n.privateNetwork()) {
                nics.add(n);
                continue;
            }
            Network net = tx.network(n.network()).orElseThrow(() -> Refusal.notFound("network " + n.network() + " not found"));
            new Owners(tx).requireIn(Owned.NETWORK, net.name(), project);
            Set<Ipv4> taken = tx.addresses(net.name()).keySet().stream().map(a -> Ipv4.parse("address", a)).collect(Collectors.toSet());
            Ipv4 ip = Addresses.pick(net, taken, n.ip() == null ? null : Ipv4.parse("ip", n.ip()));
            nics.add(new Nic(net.name(), n.mac() != null ? n.mac() : MacAddress.generate(random), ip.toString()));
        }
        return spec.withNics(nics);
    }

    @Override
    public void reserve(Store tx, Vm vm) {
        for (Nic n : vm.spec().nics()) {
            if (n.privateNetwork()) tx.reserveAddress(n.network(), n.ip(), n.mac(), vm.id());
        }
    }

    @Override
    public void join(Store tx, Vm vm, java.util.List<String> secgroups) {
        for (String g : secgroups) {
            if (tx.secgroup(g).isEmpty()) throw Refusal.notFound("security group " + g + " not found");
            new Owners(tx).requireIn(Owned.SECGROUP, g, vm.project());
            tx.addSecgroupMember(g, vm.id());
        }
    }

    @Override
    public void prepare(Vm vm, HostConnection host) {
        for (Nic n : vm.spec().nics()) {
            if (!n.privateNetwork()) continue;
            Network net = store.network(n.network()).orElseThrow(() -> new io.polyvisor.spi.DriverException(
                    "network " + n.network() + " of vm " + vm.name() + " no longer exists"));
            sync.ensure(host, net);
        }
        if (vm.spec().nics().stream().anyMatch(Nic::privateNetwork)) sync.guard(host, vm);
    }
}
