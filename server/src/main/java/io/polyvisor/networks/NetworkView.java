package io.polyvisor.networks;

import io.polyvisor.api.Nullable;
import io.polyvisor.network.Network;

import java.util.List;
import java.util.UUID;

/** A network as the API shows it, with the addresses its NICs hold (show only; null in lists). */
public record NetworkView(String name, String cidr, String gateway, boolean dhcp, int vni, String bridge, int mtu,
                          String project, @Nullable List<AddressView> addresses) {
    public record AddressView(String address, UUID vmId, @Nullable String vm) {}

    static NetworkView of(Network n, String project, List<AddressView> addresses) {
        return new NetworkView(n.name(), n.cidr().toString(), n.gateway().toString(), n.dhcp(), n.vni(), n.bridge(), Network.GUEST_MTU,
                project, addresses);
    }

    /** One NIC of a VM, as {@code vm show} lists it: {@code mac} and {@code ip} are null on a user-mode NIC. */
    public record NicView(String network, @Nullable String mac, @Nullable String ip) {}

}
