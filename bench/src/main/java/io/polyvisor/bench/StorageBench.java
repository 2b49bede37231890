package io.polyvisor.bench;

import io.polyvisor.image.TinyDisk;
import io.polyvisor.libvirt.DirectLifecycle;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.libvirt.LibvirtDriver;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Disk;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.RunningServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code polyvisor bench storage}: the same storage operations through Polyvisor (an in-process server: REST API, store,
 * tasks, libvirt driver) and done directly ({@code qemu-img} and libvirt calls), in one run on two libvirt hosts of the
 * benchmark's own fleet, with the tiny guest's disk. Per round, each operation is done directly and then through
 * Polyvisor (boots and migrations: each system first every other round), so both see the machine's load as it drifts:
 * <ul>
 *   <li><b>linked clone</b> of a template, defined and not started: directly {@code qemu-img create -f qcow2 -F qcow2
 *       -b TEMPLATE} in the pool's folder and {@code virDomainDefineXML} over that file; through Polyvisor {@code POST
 *       /api/v1/templates/T/clones} until its create task succeeded (volume made by libvirt's storage API, VM
 *       recorded, domain defined). One clone at a time (latency), then a batch in parallel ({@code clones_per_sec});</li>
 *   <li><b>boot from disk</b> of a copy-on-write volume over the template, made beforehand (untimed): directly define
 *       over the file, start, forward the guest's port 80; through Polyvisor {@code POST /api/v1/vms} with the volume
 *       and port 80 exposed; both until the guest answers {@code GET /cgi-bin/note}, which it serves from its disk;</li>
 *   <li><b>block migration</b> of that running guest to the second host: directly {@code virDomainMigrate} with
 *       {@code LIVE|PERSIST_DEST|UNDEFINE_SOURCE|NON_SHARED_DISK} (libvirt makes the file in the destination's pool,
 *       QEMU copies disk then memory) and deleting the source's file; through Polyvisor {@code POST
 *       /api/v1/vms/V/migrate} until its task succeeded. Each guest is checked afterwards (untimed): it answers its
 *       note from the destination.</li>
 * </ul>
 * Round 0 is a warm-up (both systems, untimed). Task ends come from the event stream ({@link TaskWatch}); the guest is
 * polled every 50 ms in both systems.
 */
public final class StorageBench {
    static final long DISK = 128 * Sizes.MiB;
    private static final String LIBVIRT_LIB = "/var/lib/libvirt";

    /** Median and 95th percentile in seconds, and every sample in the order taken. */
    public record Figures(double medianSeconds, double p95Seconds, List<Double> samples) {}

    public record Pair(Figures direct, Figures polyvisor) {
        public double ratio() {
            return polyvisor.medianSeconds / direct.medianSeconds;
        }
    }

    /**
     * @param directClonesPerSec    linked clones per second of wall time, {@code clones} in parallel, done directly
     * @param polyvisorClonesPerSec the same through Polyvisor
     */
    public record Result(List<String> hosts, int rounds, int clones, Pair linkedClone, Pair boot, Pair migration,
                         double directClonesPerSec, double polyvisorClonesPerSec) {}

    private final StorageRig rig;
    private final List<Double> cloneDirect = new ArrayList<>(), clonePv = new ArrayList<>();
    private final List<Double> bootDirect = new ArrayList<>(), bootPv = new ArrayList<>();
    private final List<Double> moveDirect = new ArrayList<>(), movePv = new ArrayList<>();
    private double batchDirect, batchPv;

    private StorageBench(StorageRig rig) {
        this.rig = rig;
    }

    /** Runs on two libvirt hosts of the benchmark's own ({@code scripts/test-hosts}), removed afterwards. */
    public static Result runOnOwnFleet(TinyDisk tiny, int clones, int rounds) {
        Path work;
        try {
            work = Files.createTempDirectory("polyvisor-bench-storage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var fleet = new Fleet(work.resolve("hosts"));
        try {
            fleet.up(2);
            for (int i = 1; i <= 2; i++) {
                // QEMU as root, as in bench lifecycle: a root-only /dev/kvm otherwise makes libvirt probe QEMU on every define
                Files.writeString(fleet.base().resolve("h" + i + "/etc/qemu.conf"), "\n# bench storage: QEMU as root\nuser = \"root\"\ngroup = \"root\"\n",
                        java.nio.file.StandardOpenOption.APPEND);
                fleet.kill(i);
            }
            var uris = fleet.up(2).stream().map(URI::create).toList();
            return run(fleet.base(), uris, tiny, clones, rounds, work.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            fleet.down();
            deleteTree(work);
        }
    }

    private static Result run(Path fleetBase, List<URI> uris, TinyDisk tiny, int clones, int rounds, Path data) throws IOException {
        Files.createDirectories(data);
        // up to 2 x clones defined (never started) 1-vCPU VMs at once on a 2-core host: more than the default 4:1 admits
        try (var store = io.polyvisor.store.Stores.embedded(data)) {
            store.putSetting("placement", "{\"cpu_overcommit\":64.0}");
        }
        try (RunningServer server = PolyvisorServer.start(ServerConfig.of(data).withPort(0));
             var watch = new TaskWatch(HttpClient.newHttpClient(), server.url().toString(), server.token());
             var d1 = DirectLifecycle.open(uris.get(0));
             var d2 = DirectLifecycle.open(uris.get(1))) {
            var api = new BenchApi(server);
            var pools = new ArrayList<StorageRig.Pool>();
            for (int i = 0; i < 2; i++) {
                BenchApi.ok(api.post("/api/v1/hosts", Map.of("uri", uris.get(i).toString(), "name", "h" + (i + 1))), 201);
                try (var c = new LibvirtDriver().connect(uris.get(i))) {
                    String inside = c.storage().pool().path();
                    if (!inside.startsWith(LIBVIRT_LIB + "/")) throw new IllegalStateException("pool of a fleet host outside " + LIBVIRT_LIB + ": " + inside);
                    pools.add(new StorageRig.Pool(inside, fleetBase.resolve("h" + (i + 1) + "/lib").resolve(inside.substring(LIBVIRT_LIB.length() + 1))));
                }
            }
            var rig = new StorageRig(api, watch, d1, d2, pools.get(0), pools.get(1), tiny);
            rig.template();
            var bench = new StorageBench(rig);
            for (int r = 0; r <= rounds; r++) bench.round(r, clones, r > 0);
            var hosts = uris.stream().map(URI::toString).toList();
            return new Result(hosts, rounds, clones, pair(bench.cloneDirect, bench.clonePv), pair(bench.bootDirect, bench.bootPv),
                    pair(bench.moveDirect, bench.movePv), clones * rounds / bench.batchDirect, clones * rounds / bench.batchPv);
        }
    }

    /** One round: clones one at a time, a parallel batch, then a boot from disk and a block migration per system. */
    private void round(int r, int clones, boolean timed) {
        var directClones = new ArrayList<String>();
        var pvClones = new ArrayList<String>();
        for (int i = 0; i < clones; i++) {
            String d = "dc" + r + "-" + i, p = "pc" + r + "-" + i;
            double td = rig.timed(() -> rig.directClone(d));
            double tp = rig.timed(() -> rig.polyvisorClone(p));
            directClones.add(d);
            pvClones.add(p);
            if (timed) {
                cloneDirect.add(td);
                clonePv.add(tp);
            }
        }
        var batchD = new ArrayList<String>();
        var batchP = new ArrayList<String>();
        for (int i = 0; i < clones; i++) {
            batchD.add("db" + r + "-" + i);
            batchP.add("pb" + r + "-" + i);
        }
        double wd = Parallel.wall(batchD, rig::directClone);
        double wp = Parallel.wall(batchP, rig::polyvisorClone);
        if (timed) {
            batchDirect += wd;
            batchPv += wp;
        }
        directClones.addAll(batchD);
        pvClones.addAll(batchP);
        directClones.forEach(rig::deleteDirect);
        pvClones.forEach(rig::deletePolyvisor);

        String dv = "bd" + r, pv = "bp" + r;
        UUID id = rig.prepareDirectBoot(dv);
        rig.preparePolyvisorBoot(pv);
        // the guest booted or moved first idles while the other is timed: each system goes first every other round
        boolean directFirst = r % 2 == 0;
        double[] t = new double[4];
        Runnable bootD = () -> t[0] = rig.timed(() -> rig.directBoot(id, dv));
        Runnable bootP = () -> t[1] = rig.timed(() -> rig.polyvisorBoot(pv));
        Runnable moveD = () -> t[2] = rig.timed(() -> rig.directMigrate(id, dv));
        Runnable moveP = () -> t[3] = rig.timed(() -> rig.polyvisorMigrate(pv));
        for (Runnable step : directFirst ? List.of(bootD, bootP, moveD, moveP) : List.of(bootP, bootD, moveP, moveD)) step.run();
        double bd = t[0], bp = t[1], md = t[2], mp = t[3];
        rig.checkDirectMoved(id);
        rig.checkPolyvisorMoved(pv);
        rig.cleanUpBoot(id, dv, pv);
        if (timed) {
            bootDirect.add(bd);
            bootPv.add(bp);
            moveDirect.add(md);
            movePv.add(mp);
        }
    }

    private static Pair pair(List<Double> direct, List<Double> polyvisor) {
        return new Pair(figures(direct), figures(polyvisor));
    }

    private static Figures figures(List<Double> seconds) {
        var sorted = new ArrayList<>(seconds);
        sorted.sort(null);
        return new Figures(LifecycleBench.percentile(sorted, 50), LifecycleBench.percentile(sorted, 95), List.copyOf(seconds));
    }

    static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** A guest answered {@code GET /cgi-bin/note} (served from its disk), polled every 50 ms. */
    static void awaitNote(HttpClient http, String address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var req = java.net.http.HttpRequest.newBuilder(URI.create("http://" + address + "/cgi-bin/note")).timeout(Duration.ofMillis(500)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            BenchApi.pause(50);
        }
        throw new IllegalStateException("the guest at " + address + " did not answer its note within " + timeout);
    }

    static VmSpec diskSpec(TinyDisk tiny, String volume, List<Integer> expose) {
        var b = tiny.boot();
        return new VmSpec(1, 128 * Sizes.MiB, new Boot.Kernel(b.kernel().toString(), b.initrd().toString(), TinyDisk.CMDLINE), null, expose,
                List.of(Disk.of(volume)));
    }
}
