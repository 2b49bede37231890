package io.polyvisor.server;

import io.polyvisor.api.ApiServer;
import io.polyvisor.api.Credentials;
import io.polyvisor.api.Json;
import io.polyvisor.api.Sessions;
import io.polyvisor.balancing.BalancingFeature;
import io.polyvisor.console.ConsoleFeature;
import io.polyvisor.coord.CoordFeature;
import io.polyvisor.drivers.Connections;
import io.polyvisor.drivers.HostProber;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.events.Journal;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.GuestFacets;
import io.polyvisor.feature.VmFacets;
import io.polyvisor.retention.RetentionFeature;
import io.polyvisor.groups.GroupTiming;
import io.polyvisor.groups.GroupsFeature;
import io.polyvisor.ha.HaFeature;
import io.polyvisor.identity.IdentityFeature;
import io.polyvisor.inventory.HostRequests;
import io.polyvisor.inventory.InventoryFeature;
import io.polyvisor.lifecycle.LifecycleController;
import io.polyvisor.lifecycle.LifecycleFeature;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.metrics.Metrics;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.PlacementSettings;
import io.polyvisor.placement.Scheduler;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;
import io.polyvisor.tasks.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The composition root: the one place where the control plane's parts are built and wired, by hand, in
 * dependency order. Shared parts first (store, journal, the one connection pool, usage, the task executor),
 * then the features in {@link #features}, one line each; the API serves their routes and the server starts
 * their controllers. Everything else receives its collaborators through its constructor.
 *
 * <pre>
 *  ApiServer ── routes of ──► InventoryFeature  LifecycleFeature  BalancingFeature  HaFeature  (one package each)
 *                                 │ HostMonitor      │ VmRequests ──► Placer (+ HA admission)
 *                                 ▼                  ▼
 *              Store ◄──── LifecycleController (the task executor) ──► Connections ──► drivers
 * </pre>
 */
public final class PolyvisorServer {
    private static final Logger log = LoggerFactory.getLogger(PolyvisorServer.class);
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
        // --tls: the certificate is loaded (or made, in DATA/tls) before anything else starts, so a bad one stops here
        ServerTls.Loaded tls = config.tls().on() ? ServerTls.load(config) : null;
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
            SettingsStore settings = new SettingsStore(store);
            PlacementSettings placement = settings.load(PlacementSettingsDocument.KEY);
            Wiring resolved = wiring.placer() != null ? wiring : wiring.withPlacer(new Scheduler(placement));
            UsageView usage = new UsageView();
            Metrics metrics = new Metrics(store, usage);
            VmUpdates vms = new VmUpdates(store);
            GuestFacets guest = new GuestFacets();
            var apiUrl = new java.util.concurrent.atomic.AtomicReference<URI>();
            var networkSync = new io.polyvisor.networks.NetworkSync(store, conns, journal);
            LifecycleController executor = new LifecycleController(store, conns, vms, journal,
                    config.timing().lifecycle(), resolved.stepHook(), metrics::taskFinished, guest,
                    new io.polyvisor.networks.NetworkBinding(store, networkSync));
            Clock clock = Clock.systemUTC();
            // every host is probed every 100 ms: HA's failure detector expects heartbeats that often
            HostProber prober = new HostProber(store, conns, Duration.ofMillis(100));
            Platform platform = new Platform(store, journal, new TaskQueue(executor::wake, clock), conns, prober, usage,
                    Json.mapper(), clock);
            VmFacets facets = new VmFacets();
            // browser sessions of the web console: idle for an hour or open for twelve, then sign in again
            // who a bearer token is: the data folder's admin token, or a user's (only its SHA-256 is stored)
            Credentials credentials = new Credentials(token, store::userByToken, clock);
            Sessions sessions = new Sessions(credentials, clock, Duration.ofHours(1), Duration.ofHours(12));
            var cluster = new io.polyvisor.cluster.ClusterFeature(store, io.polyvisor.cluster.ServerIdentity.name(config.serverName()), apiUrl::get);
            Features features = features(platform, config, resolved, placement, executor, vms, facets, sessions, apiUrl::get, networkSync, cluster);
            facets.set(features.all().stream().flatMap(f -> f.vmFacets().stream()).toList());
            guest.set(features.all().stream().flatMap(f -> f.guestFacets().stream()).toList());
            seedSimHosts(config.simHosts(), store, settings, features.inventory().hosts());
            Map<String, Class<?>> facetTypes = new java.util.LinkedHashMap<>();
            facets.all().forEach(f -> facetTypes.put(f.field(), f.type()));
            ApiServer api = ApiServer.start(new ApiServer.Parts(store, journal, metrics, credentials, sessions, version(), facetTypes), platform.mapper(),
                    features.all().stream().flatMap(f -> f.routes().stream()).toList(),
                    features.all().stream().flatMap(f -> f.sockets().stream()).toList(), config.bind(), config.port(),
                    tls == null ? null : tls.context());
            URI url = URI.create((tls == null ? "http://" : "https://") + (config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind())
                    + ":" + api.port());
            apiUrl.set(url);
            if (config.dbUrl() != null && config.dbUrl().startsWith("jdbc:postgresql:")) {
                // several servers may share PostgreSQL: join them before any controller starts (docs/CLUSTER.md);
                // leases are renewed through two connections of their own, never queued behind the server's other work
                Store leaseStore = Stores.open(config.dbUrl(), config.dbUser(), config.dbPassword(), 2);
                try {
                    cluster.join(new io.polyvisor.cluster.ClusterSettings(io.polyvisor.cluster.ServerIdentity.name(config.serverName()),
                            io.polyvisor.cluster.ServerIdentity.instance(config.dataDir()), url.toString(),
                            io.polyvisor.cluster.ClusterSettings.RENEW, io.polyvisor.cluster.ClusterSettings.TTL,
                            io.polyvisor.cluster.ClusterSettings.MARGIN), journal, executor::wake, leaseStore);
                } catch (RuntimeException e) {
                    api.close();
                    leaseStore.close();
                    throw e;
                }
                prober.ownedHosts(cluster.ownership());
                features.inventory().ownedHosts(cluster.ownership());
                features.ha().ownedHosts(cluster.ownership());
                executor.claims(cluster.claims());
            }
            // the lease loop first and closed last; then the prober, so that the inventory and HA find liveness to read.
            // Per-host work (tasks, host monitor, HA) runs on each host's owner; the rest only on the leader.
            List<Controller> controllers = Stream.of(Stream.of(cluster.leases(), Controller.of(prober::start, prober::close)),
                    features.all().stream().flatMap(f -> (PER_HOST.contains(f.name()) ? f.controllers() : cluster.leaderOnly(f::controllers)).stream()))
                    .flatMap(c -> c).toList();
            controllers.forEach(Controller::start);
            if (!ServerConfig.loopback(config.bind())) {
                log.warn("listening on {}, not loopback: the API is reachable from the network (token required{})", config.bind(),
                        tls == null ? ", in plain HTTP: --insecure-http" : ", over TLS");
            }
            log.info("Polyvisor listening on {} (data {}, database {})", url, config.dataDir(),
                    config.dbUrl() == null ? "embedded H2" : "external");
            return new RunningServer(url, token, config.dataDir().resolve(AdminToken.FILE), tls == null ? null : tls.certificate(), store, api,
                    () -> {
                        api.close();
                        controllers.reversed().forEach(Controller::close);
                        conns.close();
                        store.close();
                        stopSimState.run();
                    },
                    () -> {
                        controllers.forEach(Controller::halt); // the executor first: nothing more is written
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

    /** The features this server runs, in start order, and those the root itself needs (hosts for --sim, ownership). */
    record Features(InventoryFeature inventory, HaFeature ha, List<Feature> all) {}

    /** Features whose controllers run on every server, each for the hosts it owns; the others' run on the leader only. */
    private static final java.util.Set<String> PER_HOST = java.util.Set.of("lifecycle", "inventory", "ha", "cluster");

    /**
     * Every feature, built in dependency order; a new feature is one more line here. HA comes before the
     * lifecycle routes because creates pass its admission control; balancing moves VMs through the lifecycle.
     * The balancer weighs moves with the same {@code placement} settings as the scheduler that places creates.
     */
    private static Features features(Platform p, ServerConfig config, Wiring wiring, PlacementSettings placement,
                                     LifecycleController executor, VmUpdates vms, VmFacets facets, Sessions sessions,
                                     java.util.function.Supplier<URI> apiUrl, io.polyvisor.networks.NetworkSync networkSync,
                                     io.polyvisor.cluster.ClusterFeature cluster) {
        var snapshot = (java.util.function.Supplier<ClusterSnapshot>) () -> snapshot(p.store(), p.usage());
        var inventory = new InventoryFeature(p, vms, executor::executing, config.timing().probeInterval(), placement);
        var ha = new HaFeature(p, wiring.placer(), vms::locked);
        var storage = new io.polyvisor.storage.StorageFeature(p, config.dataDir(), vms);
        var binding = new io.polyvisor.networks.NetworkBinding(p.store(), networkSync);
        var lifecycle = new LifecycleFeature(p, executor, vms, ha.admitting(wiring.placer()), snapshot, facets, binding, storage.vmDisks());
        storage.createThrough(lifecycle.requests());
        var networks = new io.polyvisor.networks.NetworksFeature(p, networkSync, java.time.Duration.ofSeconds(2),
                lifecycle.requests()::find, vms, binding);
        var balancing = new BalancingFeature(p, snapshot, () -> dirtyRates(p.usage()), lifecycle.requests(), placement, balanceInterval());
        var groups = new GroupsFeature(p, lifecycle.requests(), config.dataDir(), GroupTiming.current());
        var coord = new CoordFeature(p, lifecycle.requests()::find, apiUrl, groups::pushMetric);
        var console = new ConsoleFeature(p, sessions, lifecycle.requests()::find);
        var retention = new RetentionFeature(p, Duration.ofMinutes(1));
        var identity = new IdentityFeature(p);
        var history = new io.polyvisor.history.HistoryFeature(p, lifecycle.requests()::find, config.timing().probeInterval());
        return new Features(inventory, ha, List.of(lifecycle, inventory, balancing, ha, groups, coord, console, retention, storage, networks,
                identity, history, cluster));
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
    private static void seedSimHosts(int n, Store store, SettingsStore settings, HostRequests hosts) {
        if (n == 0 || settings.find(SimSeeding.KEY).isPresent()) return;
        for (int i = 1; i <= n; i++) {
            String name = "h" + i;
            if (store.host(name).isEmpty()) hosts.add(URI.create("sim://local/" + name), name, Map.of());
        }
        settings.save(SimSeeding.KEY, new SimSeeding(n));
    }

    private static ClusterSnapshot snapshot(Store store, UsageView usage) {
        Map<java.util.UUID, ClusterSnapshot.VmUsage> measured = new HashMap<>();
        usage.vms().forEach((id, u) -> measured.put(id, new ClusterSnapshot.VmUsage(u.cpuCores(), u.memoryBytes())));
        return new ClusterSnapshot(store.hosts(), store.liveVms(), measured); // deleted VMs take no room
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
