package io.polyvisor.cli;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --network NAME[:IP]} options as the create body's {@code nics}, checked with the server's messages. */
final class NicOptions {
    private NicOptions() {}

    static List<Map<String, Object>> parse(List<String> options) {
        var out = new ArrayList<Map<String, Object>>();
        for (String o : options) {
            int colon = o.indexOf(':');
            String name = colon < 0 ? o : o.substring(0, colon);
            var nic = new LinkedHashMap<String, Object>();
            if (name.equals(Network.USER)) {
                InvalidInput.require(colon < 0, "--network user takes no address");
            } else {
                Network.requireName(name);
            }
            nic.put("network", name);
            if (colon >= 0) nic.put("ip", Ipv4.parse("--network " + name + " address", o.substring(colon + 1)).toString());
            out.add(nic);
        }
        return out;
    }
}
