package io.polyvisor.model;

import java.net.URI;
import java.util.Map;

/** A hypervisor endpoint under Polyvisor's control. */
public record Host(String name, URI uri, Capacity capacity, Map<String, String> labels, HostState state) {
    public Host {
        Names.requireName("host", name);
        InvalidInput.require(uri != null && uri.getScheme() != null, "host URI must have a scheme such as qemu:// or sim://");
        labels = Names.requireLabels(labels);
        if (state == null) state = HostState.CONNECTED;
    }

    public Host withState(HostState s) {
        return new Host(name, uri, capacity, labels, s);
    }

    public Host withCapacity(Capacity c) {
        return new Host(name, uri, c, labels, state);
    }
}
