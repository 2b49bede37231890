package io.polyvisor.server;

import io.polyvisor.api.ApiServer;
import io.polyvisor.balancing.BalanceController;
import io.polyvisor.balancing.BalancingService;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.events.Journal;
import io.polyvisor.inventory.Connections;
import io.polyvisor.inventory.HostMonitor;
import io.polyvisor.inventory.HostRequests;
import io.polyvisor.inventory.UsageView;
import io.polyvisor.lifecycle.LifecycleController;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.metrics.Metrics;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The composition root: the one place where the control plane's parts are built and wired, by hand,
 * in dependency order. Everything else receives its collaborators through its constructor.
 *
 * <pre>
 *  ApiServer ──► VmRequests ──► Store ◄── LifecycleController ──► Connections ──► drivers
 *      │            │  (Placer)    ▲              ▲                     ▲
 *      └──► HostRequests ──────────┤              └── wake ──┘          │
 *                                  └────────── HostMonitor ─────────────┘ (probe, list, stats, events)
 * </pre>
 */
public final class PolyvisorServer {
    private static final Logger log = LoggerFactory.getLogger(PolyvisorServer.class);
    static final String SIM_SEEDED = "server.sim_hosts_seeded";
    /** Where {@code --sim N} keeps the state of the simulated data centre {@code local}, in the data folder. */
    static final String SIM_STATE_FILE = "sim-local.json";
    /** How often the balancer controller runs (maintenance evacuation, then the plan its automation level allows). */
    static Duration balanceInterval() {
        return Duration.ofMillis(Math.max(100, (long) (1000 * Double.parseDouble(System.getProperty("polyvisor.balance.interval-seconds", "30")))));
    }

    private PolyvisorServer() {}

    public static RunningServer start(ServerConfig config) {
        return start(config, Wiring.defaults());
    }

    /** Opens the store, starts controllers and the API; on any failure, releases what was started and throws. */
    public static RunningServer start(ServerConfig config, Wiring wiring) {
        try {
            createPrivate(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + config.dataDir(), e);
        }
        String token = AdminToken.loadOrCreate(config.dataDir());
        // --sim N: the simulated hypervisors outlive this process, as real ones outlive their control plane. Their
        // hosts and domains come back from DATA/sim-local.json before any host connects, and are written there
        // after every change (see SimDatacenter.persistTo); close and halt stop the writing, not the hypervisors.
        java.nio.file.Path simState = config.simHosts() > 0 ? config.dataDir().resolve(SIM_STATE_FILE) : null;
        if (simState != null) io.polyvisor.sim.SimDatacenter.named("local").persistTo(simState);
        Runnable stopSimState = () -> {
            if (simState != null) io.polyvisor.sim.SimDatacenter.named("local").stopPersistingTo(simState);
        };
        Store store = config.dbUrl() == null ? Stores.embedded(config.dataDir())
                : Stores.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        Connections conns = new Connections(wiring.drivers(), store);
        try {
            Journal journal = new Journal(store);
            VmUpdates vms = new VmUpdates(store);
            UsageView usage = new UsageView();
            Metrics metrics = new Metrics(store, usage);
            LifecycleController lifecycle = new LifecycleController(store, conns, vms, journal,
                    config.timing().lifecycle(), wiring.stepHook(), metrics::taskFinished);
            HostMonitor monitor = new HostMonitor(store, conns, vms, journal, usage, lifecycle::executing,
                    config.timing().probeInterval());
            HostRequests hosts = new HostRequests(store, conns, journal);
            // high availability (ha helper): own connections, heartbeats every 100 ms, a tick every 100 ms
            var haHosts = new io.polyvisor.ha.OwnConnections(wiring.drivers(), store);
            var ha = new io.polyvisor.ha.HaService(new io.polyvisor.ha.HaWiring(store, haHosts, journal::record, wiring.placer(),
                    new io.polyvisor.ha.VmLocks() {
                        @Override
                        public <T> T locked(java.util.UUID id, java.util.function.Supplier<T> work) {
                            return vms.locked(id, work);
                        }
                    }, lifecycle::wake, () -> System.nanoTime() / 1_000_000, java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("ha-fence-", 0).factory()),
                    service -> { }, io.polyvisor.ha.DetectorSettings.DEFAULTS), java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(100));
            VmRequests vmRequests = new VmRequests(store, ha.admitting(wiring.placer()), () -> snapshot(store, usage), vms, journal,
                    conns, lifecycle::wake);
            BalancingService balancing = new BalancingService(store, () -> snapshot(store, usage), () -> dirtyRates(usage),
                    vmRequests, journal, PlacementSettings.DEFAULTS);
            BalanceController balancer = new BalanceController(balancing, store, journal, Clock.systemUTC(), balanceInterval());
            seedSimHosts(config.simHosts(), store, hosts);
            ApiServer api = ApiServer.start(new ApiServer.Parts(store, vmRequests, hosts, conns, usage, journal, metrics,
                    token, version(), ha, balancing), config.bind(), config.port());
            lifecycle.start();
            monitor.start();
            balancer.start();
            ha.start();
            URI url = URI.create("http://" + (config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind())
                    + ":" + api.port());
            if (!loopback(config.bind())) {
                log.warn("listening on {}, not loopback: the API is reachable from the network (token required)", config.bind());
            }
            log.info("Polyvisor listening on {} (data {}, database {})", url, config.dataDir(),
                    config.dbUrl() == null ? "embedded H2" : "external");
            return new RunningServer(url, token, config.dataDir().resolve(AdminToken.FILE), store, api,
                    () -> {
                        api.close();
                        balancer.close();
                        ha.close();
                        haHosts.close();
                        monitor.close();
                        lifecycle.close();
                        conns.close();
                        store.close();
                        stopSimState.run();
                    },
                    () -> {
                        lifecycle.halt();
                        balancer.close();
                        ha.close();
                        haHosts.close();
                        monitor.close();
                        api.close();
                        conns.close();
                        store.close();
                        stopSimState.run();
                    });
        } catch (RuntimeException e) {
            conns.close();
            store.close();
            stopSimState.run();
            throw e;
        }
    }

    private static boolean loopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Creates the data folder owner-only (0700) if it does not exist; an existing folder is left as it is. */
    private static void createPrivate(java.nio.file.Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** {@code --sim N}: registers sim://local/h1..hN once, on the first start of this database. */
    private static void seedSimHosts(int n, Store store, HostRequests hosts) {
        if (n == 0 || store.setting(SIM_SEEDED).isPresent()) return;
        for (int i = 1; i <= n; i++) {
            String name = "h" + i;
            if (store.host(name).isEmpty()) hosts.add(URI.create("sim://local/" + name), name, Map.of());
        }
        store.putSetting(SIM_SEEDED, Integer.toString(n));
    }

    private static ClusterSnapshot snapshot(Store store, UsageView usage) {
        Map<java.util.UUID, ClusterSnapshot.VmUsage> measured = new HashMap<>();
        usage.vms().forEach((id, u) -> measured.put(id, new ClusterSnapshot.VmUsage(u.cpuCores(), u.memoryBytes())));
        return new ClusterSnapshot(store.hosts(), store.vms(), measured);
    }

    /** Memory dirty rates the drivers report (bytes/s), for the balancer's migration cost. */
    private static Map<java.util.UUID, Long> dirtyRates(UsageView usage) {
        Map<java.util.UUID, Long> rates = new HashMap<>();
        usage.vms().forEach((id, u) -> {
            if (u.dirtyBytesPerSec() >= 0) rates.put(id, u.dirtyBytesPerSec());
        });
        return rates;
    }

    static String version() {
        String v = PolyvisorServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
