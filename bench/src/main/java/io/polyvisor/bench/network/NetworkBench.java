package io.polyvisor.bench.network;

import io.polyvisor.image.TinyImage;
import io.polyvisor.libvirt.Fleet;
import io.polyvisor.libvirt.LibvirtDriver;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Nic;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Network;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.PowerState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The private-network data path measured between two tiny guests, a (always on h1) and b, on a fleet of two libvirt
 * hosts of the bench's own, each in its own network namespace on an underlay ({@code scripts/test-hosts} with
 * network namespaces). Each round: b on h2 (VXLAN between the hosts' bridges), live-migrated to h1 (both on h1's
 * bridge), and back. Throughput and latency are measured from inside a, in the same run for both placements; each
 * migration is watched by a pinging every 10 ms from inside a. Hosts are prepared with the driver's own
 * {@code Networking.ensure}, the call the server's network sync makes.
 */
public final class NetworkBench {
    static final Network NET = new Network("bench", Cidr.parse("10.77.0.0/24"), null, false, 4177);
    static final String A_IP = "10.77.0.10";
    static final String B_IP = "10.77.0.11";

    /** One placement's figures in one round: a's fastest of {@link #DOWNLOADS} downloads of b's blob, and the median of 20 ping round trips from a to b. */
    public record PathSample(double megabitsPerSecond, double rttMillis) {}

    /** One live migration of b as a saw it. */
    public record Migration(String from, String to, long downtimeMillis, long totalMillis, double outageSeconds, double probeIntervalSeconds) {}

    public record Result(List<PathSample> vxlan, List<PathSample> bridge, List<Migration> migrations, int blobMib) {
        public double throughputRatio() {
            return median(vxlan, PathSample::megabitsPerSecond) / median(bridge, PathSample::megabitsPerSecond);
        }

        public double latencyRatio() {
            return median(vxlan, PathSample::rttMillis) / median(bridge, PathSample::rttMillis);
        }

        public double convergenceSeconds() {
            return Stats.median(migrations.stream().map(Migration::outageSeconds).toList());
        }

        public double downtimeSeconds() {
            return Stats.median(migrations.stream().map(m -> m.downtimeMillis() / 1000.0).toList());
        }

        static double median(List<PathSample> s, java.util.function.ToDoubleFunction<PathSample> f) {
            return Stats.median(s.stream().map(f::applyAsDouble).toList());
        }
    }

    private NetworkBench() {}

    /** Runs {@code rounds} rounds on a fleet started in {@code base} and removed afterwards; {@code log} hears progress. */
    public static Result run(Path base, TinyImage image, int rounds, int blobMib, Consumer<String> log) {
        if (!image.agent()) throw new IllegalStateException("the tiny guest has no qemu-guest-agent: the bench measures from inside the guests");
        var fleet = new Fleet(base, true);
        var uris = fleet.up(2);
        var hosts = new ArrayList<HostConnection>();
        var vms = new ArrayList<UUID>();
        try {
            for (String u : uris) hosts.add(new LibvirtDriver().connect(java.net.URI.create(u)));
            for (int i = 0; i < 2; i++) {
                String peer = hosts.get(1 - i).networking().underlay().orElseThrow();
                hosts.get(i).networking().ensure(HostNetwork.of(NET, Set.of(peer)));
            }
            UUID a = boot(hosts.get(0), "a", spec(image, "52:54:00:4d:00:0a", A_IP), vms);
            UUID b = boot(hosts.get(1), "b", spec(image, "52:54:00:4d:00:0b", B_IP), vms);
            var inA = new InGuest(hosts.get(0), a);
            awaitAnswer(inA, hosts.get(1), b);
            new InGuest(hosts.get(1), b).serveBlob(blobMib);
            log.accept("a (h1) reaches b (h2) over VXLAN; " + rounds + " rounds");
            var vxlan = new ArrayList<PathSample>();
            var bridge = new ArrayList<PathSample>();
            var migrations = new ArrayList<Migration>();
            for (int r = 1; r <= rounds; r++) {
                vxlan.add(measure(inA, blobMib));
                log.accept("round " + r + " vxlan: " + vxlan.getLast());
                migrations.add(migrate(inA, b, hosts.get(1), hosts.get(0), "h2", "h1"));
                log.accept("round " + r + " " + migrations.getLast());
                bridge.add(measure(inA, blobMib));
                log.accept("round " + r + " bridge: " + bridge.getLast());
                migrations.add(migrate(inA, b, hosts.get(0), hosts.get(1), "h1", "h2"));
                log.accept("round " + r + " " + migrations.getLast());
            }
            return new Result(vxlan, bridge, migrations, blobMib);
        } finally {
            for (var h : hosts) {
                for (UUID id : vms) {
                    try {
                        var d = h.compute().lookup(id);
                        if (d.isEmpty()) continue;
                        if (d.get().state() != PowerState.SHUTOFF) h.compute().destroy(id);
                        h.compute().undefine(id);
                    } catch (RuntimeException e) {
                        log.accept("clean-up of " + id + " on " + h.uri() + ": " + e.getMessage());
                    }
                }
                h.close();
            }
            fleet.down();
        }
    }

    static VmSpec spec(TinyImage image, String mac, String ip) {
        var boot = new Boot.Kernel(image.kernel().toString(), image.initrd().toString(), image.cmdline());
        return new VmSpec(1, 128 * Sizes.MiB, boot, List.of(new Nic(NET.name(), mac, ip)), List.of());
    }

    private static UUID boot(HostConnection host, String name, VmSpec spec, List<UUID> made) {
        var id = UUID.randomUUID();
        made.add(id);
        host.compute().define(id, name, spec);
        host.compute().start(id);
        return id;
    }

    /** Waits until a's HTTP request to b's address answers "b" (both booted, the path across hosts working). */
    private static void awaitAnswer(InGuest inA, HostConnection bHost, UUID b) {
        new InGuest(bHost, b).sh("true", java.time.Duration.ofSeconds(20));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!"b".equals(inA.http(B_IP))) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("a never reached b at " + B_IP + " within 120 s");
        }
    }

    /** Downloads per placement per round: the fastest counts (other work on the machine only ever slows a download). */
    static final int DOWNLOADS = 3;

    private static PathSample measure(InGuest inA, int blobMib) {
        double best = 0;
        for (int i = 0; i < DOWNLOADS; i++) {
            var t = inA.fetchBlob(B_IP);
            if (t.bytes() < blobMib * Sizes.MiB) throw new IllegalStateException("a received " + t.bytes() + " bytes of a " + blobMib + " MiB blob");
            best = Math.max(best, t.megabitsPerSecond());
        }
        var ping = inA.ping(B_IP, 20, 0.05);
        if (ping.answered().size() < 15) throw new IllegalStateException("only " + ping.answered().size() + " of 20 pings answered");
        return new PathSample(best, ping.medianRttMillis());
    }

    private static Migration migrate(InGuest inA, UUID b, HostConnection from, HostConnection to, String fromName, String toName) {
        inA.startProbe(B_IP);
        pause(1000);
        var result = from.migration().migrate(b, to, p -> {});
        pause(1500);
        var probe = inA.stopProbe();
        return new Migration(fromName, toName, result.downtimeMillis(), result.totalMillis(), probe.outageSeconds(), probe.intervalSeconds());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
