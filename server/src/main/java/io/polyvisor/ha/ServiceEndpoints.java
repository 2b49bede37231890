package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.settings.Codec;
import io.polyvisor.settings.Legacy;
import io.polyvisor.settings.SettingsKey;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service endpoints of standby-protected VMs: for each exposed guest port, a Polyvisor-owned loopback
 * port ({@link TcpProxy}) that always leads to the current primary instance's own forwarded port. The port
 * is chosen once and kept in the setting {@link Port#key ha.service_endpoint.NAME.GUESTPORT}, so the address
 * users were given survives failovers and server restarts.
 *
 * <p>For a service load balancer, the alternative is an HAProxy backend per service whose server address
 * HA changes on promotion through the runtime API ({@code set server be/s1 addr A port P}); this class is
 * the built-in, dependency-free endpoint.
 */
public final class ServiceEndpoints implements AutoCloseable {
    private final Store store;
    private final SettingsStore settings;
    private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();

    public ServiceEndpoints(Store store) {
        this.store = store;
        this.settings = new SettingsStore(store);
    }

    /** The loopback port of one service endpoint, as remembered. */
    record Port(int port) {
        Port {
            InvalidInput.require(port >= 1 && port <= 65535, "port must be between 1 and 65535, got " + port);
        }

        /** The setting of endpoint {@code NAME.GUESTPORT}; once {@code ha.service.NAME.GUESTPORT} holding the bare number. */
        static SettingsKey<Port> key(String endpoint) {
            return new SettingsKey<>("ha.service_endpoint." + endpoint, null,
                    Codec.of(p -> Map.of("port", p.port()), d -> new Port(d.integer("port", 0))),
                    new Legacy.Fields<>(Map.of("port", "ha.service." + endpoint)));
        }
    }

    /** Opens endpoints for standby-protected VMs that need one and closes those of VMs that are gone. */
    public synchronized void sync() {
        var wanted = new HashMap<String, int[]>();
        for (Vm v : store.vms()) {
            if (v.protection() != Protection.STANDBY || HaLabels.isStandby(v) || v.intent() == PowerIntent.DELETED
                    || v.state() instanceof VmState.Deleted) continue;
            for (int guest : v.spec().exposePorts()) wanted.put(key(v.name(), guest), new int[] {guest});
        }
        proxies.keySet().removeIf(k -> {
            if (wanted.containsKey(k)) return false;
            proxies.get(k).close();
            return true;
        });
        wanted.forEach((k, g) -> proxies.computeIfAbsent(k, this::open));
    }

    /** The primary of service {@code name} changed: cut relayed connections so clients reconnect to it. */
    public void primaryChanged(String name) {
        proxies.forEach((k, p) -> {
            if (k.startsWith(name + ".")) p.retarget();
        });
    }

    /** {@code 127.0.0.1:PORT} of the service's endpoint for {@code guestPort}, if it has one. */
    public Optional<String> address(String name, int guestPort) {
        return Optional.ofNullable(proxies.get(key(name, guestPort))).map(p -> "127.0.0.1:" + p.port());
    }

    private TcpProxy open(String key) {
        int dot = key.lastIndexOf('.');
        String name = key.substring(0, dot);
        int guest = Integer.parseInt(key.substring(dot + 1));
        var setting = Port.key(key);
        int port = settings.find(setting).map(Port::port).orElse(0);
        try {
            TcpProxy p;
            try {
                p = new TcpProxy(port, () -> target(name, guest));
            } catch (IOException taken) {
                p = new TcpProxy(0, () -> target(name, guest)); // the remembered port is taken: take another, say so in status
            }
            settings.save(setting, new Port(p.port()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a service endpoint for " + name + ":" + guest, e);
        }
    }

    /** The current primary's own forward of {@code guestPort}, or null if it has none yet. */
    private InetSocketAddress target(String name, int guestPort) {
        return store.vmByName(name).map(vm -> store.endpoints(vm.id()).get(guestPort))
                .map(port -> new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).orElse(null);
    }

    private static String key(String name, int guestPort) {
        return name + "." + guestPort;
    }

    @Override
    public synchronized void close() {
        proxies.values().forEach(TcpProxy::close);
        proxies.clear();
    }
}
