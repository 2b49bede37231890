package io.polyvisor.coord;

import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of {@link CoordLinearizabilityTest}, one at a time until {@code end}: after 0.8-1.8 s, either the lease
 * holder's host crashes (powered off; the first time, then six times in ten, so that HA fences it and the lease moves) or a random host is
 * cut off from the control plane (a partition); 2-3.5 s later it is healed (reconnected, and powered on again if it was crashed or HA fenced it). Every
 * fault is healed before {@link #run} returns.
 */
final class JepsenNemesis {
    private final TestServer s;
    private final SimDatacenter sim;
    private final int hosts;
    private final Random rnd;
    private final long end;
    private final List<String> faults = new ArrayList<>();

    JepsenNemesis(TestServer s, SimDatacenter sim, int hosts, Random rnd, long end) {
        this.s = s;
        this.sim = sim;
        this.hosts = hosts;
        this.rnd = rnd;
        this.end = end;
    }

    List<String> faults() {
        return faults;
    }

    void run() throws InterruptedException {
        while (System.nanoTime() < end) {
            Thread.sleep(800 + rnd.nextInt(1000));
            boolean crash = faults.isEmpty() || rnd.nextInt(10) < 6; // the first fault: the holder's host, for a revocation
            String host = crash ? holderHost() : null;
            if (host == null) host = "h" + (1 + rnd.nextInt(hosts));
            if (crash) sim.crashHost(host);
            else sim.partition(host);
            faults.add((crash ? "crash " : "partition ") + host);
            Thread.sleep(2000 + rnd.nextInt(1500));
            // HA may have fenced a partitioned host (powered it off): heal the partition, then power it on
            sim.heal(host);
            sim.recover(host);
        }
    }

    /** The host of the lease's holder, or null when nobody holds it. */
    private String holderHost() {
        var lease = s.get("/api/v1/coord/jp/leases/" + CoordLinearizabilityTest.LEASE);
        if (lease.status() != 200 || !lease.json().path("holder").isTextual()) return null;
        String host = s.get("/api/v1/vms/" + lease.json().path("holder").asText()).json().path("host").asText();
        return host.isEmpty() ? null : host;
    }
}
