package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimServe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Three server processes on one PostgreSQL schema sharing a simulated data centre served from this JVM
 * ({@link SimServe}): fill it with VMs through one server then through all three (create latency, the baseline being
 * the one-server half), kill -9 a member (takeover: all its hosts owned by the live servers; reconcile: a reboot asked
 * at the kill, through a survivor, of VMs on its hosts, until it succeeds), then kill -9 the leader (leader failover),
 * and count double actions (VMs seen live on two hosts, and VMs powered on more than once).
 */
final class ClusterBench {
    record Result(int hosts, int vms, double createOneP50Ms, double createOneP99Ms, double createThreeP50Ms, double createThreeP99Ms,
                  double takeoverS, int hostsTakenOver, double leaderFailoverS, double reconcileP50S, double reconcileP99S,
                  int reconcileSamples, int doubleActions, EventDelay.Result events) {}

    private final ClusterRig rig;
    private final int hosts;
    private final int vms;

    ClusterBench(ClusterRig rig, int hosts, int vms) {
        this.rig = rig;
        this.hosts = hosts;
        this.vms = vms;
    }

    Result run() throws Exception {
        var dc = SimDatacenter.named("bench-cluster-" + UUID.randomUUID().toString().substring(0, 8));
        for (int i = 1; i <= hosts; i++) dc.addHost("h" + i, 64, 256L << 30);
        try (var serve = SimServe.start(dc, 0)) {
            var s1 = rig.start("s1");
            var s2 = rig.start("s2");
            var s3 = rig.start("s3");
            var all = List.of(s1, s2, s3);
            for (int i = 1; i <= hosts; i++) {
                var r = s1.send("POST", "/api/v1/hosts", "{\"uri\":\"simremote://127.0.0.1:" + serve.port() + "/h" + i + "\",\"name\":\"h" + i + "\"}");
                if (r.statusCode() != 201) throw new IllegalStateException("adding host h" + i + ": " + r.body());
            }
            awaitOwned(s1, all, hosts);
            var events = EventDelay.measure(s1, s2, rig.db, rig.user, rig.password, 40);
            List<Double> one = create(List.of(s1), 0, vms / 2);
            List<Double> three = create(all, vms / 2, vms - vms / 2);
            awaitRunning(s1, vms);

            // takeover: kill -9 of a member that does not lead
            String leader = leader(s1);
            var victim = all.stream().filter(m -> !m.name.equals(leader)).findFirst().orElseThrow();
            var observer = all.stream().filter(m -> m != victim && !m.name.equals(leader)).findFirst()
                    .orElse(all.stream().filter(m -> m != victim).findFirst().orElseThrow());
            Set<String> victimHosts = ownedBy(observer, victim.name);
            List<String> sample = vmsOn(observer, victimHosts, 50);
            long t0 = System.nanoTime();
            victim.kill();
            var pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Double>> reconciles = new ArrayList<>();
            for (String vm : sample) reconciles.add(pool.submit(() -> rebootUntilDone(observer, vm, t0)));
            while (!liveOwners(observer, victim.name).containsAll(victimHosts)) Thread.sleep(20);
            double takeover = (System.nanoTime() - t0) / 1e9;
            List<Double> reconcile = new ArrayList<>();
            for (var f : reconciles) reconcile.add(f.get());
            pool.close();

            // leader failover: kill -9 of the leader
            var lead = all.stream().filter(m -> m.name.equals(leader)).findFirst().orElseThrow();
            var survivor = all.stream().filter(m -> m != lead && m != victim).findFirst().orElseThrow();
            long t1 = System.nanoTime();
            lead.kill();
            while (true) {
                String now = leader(survivor);
                if (now != null && !now.equals(lead.name)) break;
                Thread.sleep(20);
            }
            double failover = (System.nanoTime() - t1) / 1e9;
            int doubles = serve.doubles().size() + (int) serve.starts().values().stream().filter(n -> n > 1).count();
            return new Result(hosts, vms, pct(one, 50), pct(one, 99), pct(three, 50), pct(three, 99), takeover, victimHosts.size(),
                    failover, pct(reconcile, 50), pct(reconcile, 99), reconcile.size(), doubles, events);
        }
    }

    /**
     * Creates {@code n} VMs through {@code via} round-robin, 8 at a time, spread over the hosts (each pinned to one, so
     * every server owns some); the latency of each answered 202, in ms.
     */
    private List<Double> create(List<ClusterRig.Member> via, int from, int n) throws Exception {
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = from; i < from + n; i++) {
                int k = i;
                fs.add(pool.submit(() -> {
                    var m = via.get(k % via.size());
                    long t = System.nanoTime();
                    var r = m.send("POST", "/api/v1/vms", "{\"name\":\"b" + k + "\",\"memory\":\"64M\",\"host\":\"h" + (1 + k % hosts) + "\"}");
                    if (r.statusCode() != 202) throw new IllegalStateException("create b" + k + ": " + r.body());
                    ms.add((System.nanoTime() - t) / 1e6);
                    return null;
                }));
            }
            for (var f : fs) f.get();
        }
        return ms;
    }

    private static void awaitOwned(ClusterRig.Member m, List<ClusterRig.Member> all, int hosts) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode list = m.get("/api/v1/servers");
            int owned = 0;
            boolean everyone = list.size() == all.size();
            for (JsonNode s : list) {
                owned += s.path("hosts_owned").size();
                everyone &= s.path("hosts_owned").size() > 0;
            }
            if (everyone && owned == hosts) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("hosts were not split between the servers within 60 s");
    }

    private static void awaitRunning(ClusterRig.Member m, int n) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            int running = 0;
            for (JsonNode v : m.get("/api/v1/vms")) if (v.path("state").asText().equals("running")) running++;
            if (running == n) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("VMs did not all run within 10 minutes");
    }

    private static String leader(ClusterRig.Member m) throws Exception {
        for (JsonNode s : m.get("/api/v1/servers")) if (s.path("role").asText().equals("leader") && s.path("alive").asBoolean()) return s.path("name").asText();
        return null;
    }

    private static Set<String> ownedBy(ClusterRig.Member m, String name) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode s : m.get("/api/v1/servers")) if (s.path("name").asText().equals(name)) s.path("hosts_owned").forEach(h -> out.add(h.asText()));
        return out;
    }

    private static Set<String> liveOwners(ClusterRig.Member m, String except) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode s : m.get("/api/v1/servers")) {
            if (!s.path("name").asText().equals(except) && s.path("alive").asBoolean()) s.path("hosts_owned").forEach(h -> out.add(h.asText()));
        }
        return out;
    }

    private static List<String> vmsOn(ClusterRig.Member m, Set<String> hosts, int max) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode v : m.get("/api/v1/vms")) if (hosts.contains(v.path("host").asText()) && out.size() < max) out.add(v.path("name").asText());
        return out;
    }

    /** Asks a reboot of {@code vm} through {@code m} and waits for its task to succeed; seconds since {@code t0}. */
    private static double rebootUntilDone(ClusterRig.Member m, String vm, long t0) throws Exception {
        var r = m.send("POST", "/api/v1/vms/" + vm + "/reboot", "{}");
        if (r.statusCode() != 202) throw new IllegalStateException("reboot " + vm + ": " + r.body());
        String task = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("id").asText();
        while (true) {
            String status = m.get("/api/v1/tasks/" + task).path("status").asText();
            if (status.equals("succeeded")) return (System.nanoTime() - t0) / 1e9;
            if (status.equals("failed")) throw new IllegalStateException("reboot " + vm + " failed");
            Thread.sleep(20);
        }
    }

    static double pct(List<Double> xs, int p) {
        if (xs.isEmpty()) return 0;
        var s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }
}
