package io.polyvisor.lifecycle;

import io.polyvisor.api.Body;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.MacAddress;
import io.polyvisor.network.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code nics} of a create body: {@code [{"network": NAME, "ip": A.B.C.D, "mac": M}]}, each checked with its position. */
final class NicsBody {
    private NicsBody() {}

    /** The NICs asked for, or null if the body names none (the default user-mode NIC). */
    static List<Nic> parse(Body b) {
        if (!b.has("nics")) return null;
        List<Body> items = b.objectList("nics", Set.of("network", "ip", "mac"), 8);
        InvalidInput.require(!items.isEmpty(), "nics must name at least one network");
        var out = new ArrayList<Nic>();
        for (int i = 0; i < items.size(); i++) {
            Body n = items.get(i);
            String where = "nics[" + i + "].";
            String network = n.requiredString("network");
            String ip = n.string("ip"), mac = n.string("mac");
            if (network.equals(Network.USER)) {
                InvalidInput.require(ip == null && mac == null, where + "ip and mac apply to private networks, not to user-mode networking");
                out.add(Nic.user());
                continue;
            }
            Network.requireName(network);
            if (ip != null) Ipv4.parse(where + "ip", ip);
            if (mac != null) MacAddress.require(mac);
            out.add(new Nic(network, mac, ip));
        }
        var names = out.stream().filter(Nic::privateNetwork).map(Nic::network).toList();
        InvalidInput.require(names.stream().distinct().count() == names.size(), "a VM takes at most one NIC per network");
        return out;
    }
}
