package io.polyvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.sim.SimDatacenter;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;

/**
 * One leader failover, measured: in a fresh group, guest A (protected, on the victim host) holds lease {@code leader}
 * and has just renewed it; guest B, on another host, asks for it every 20 ms. The victim host crashes (the
 * simulator's power-off) and the clock runs until B holds the lease. HA's detection ({@code host.unreachable}), its
 * fencing ({@code host.fenced}) and the revocation ({@code lease.revoked}) are read from the event journal, each as
 * seconds after the crash. The TTL-only baseline is the wait a service without fencing knowledge would have: the
 * lease's {@code expires_at} at the crash minus the crash instant. After the round the host is powered on again and
 * the bench waits until HA sees every host healthy, so rounds do not overlap.
 */
final class LeaderFailover {
    /** Seconds after the crash; {@code ttlOnlyWaitS}: until the lease would have expired. */
    record Round(String victim, double failoverS, double detectS, double fencedS, double revokedS, double ttlOnlyWaitS,
                 int ttlS, long oldToken, long newToken) {
        boolean met() {
            return failoverS <= detectS + CoordinationBenchCommand.FAILOVER_MARGIN_S;
        }
    }

    private final BenchApi api;
    private final SimDatacenter sim;
    private final HttpClient http;
    private final String base;

    LeaderFailover(BenchApi api, SimDatacenter sim, HttpClient http, String base) {
        this.api = api;
        this.sim = sim;
        this.http = http;
        this.base = base;
    }

    Round round(int r, int ttlS) {
        int hosts = CoordinationBench.HOSTS;
        String victim = "h" + (1 + (r - 1) % hosts), other = "h" + (1 + r % hosts), group = "fo" + r;
        CoordinationBench.member(api, group + "a", group, victim, true);
        CoordinationBench.member(api, group + "b", group, other, false);
        api.awaitVm(group + "a", "running", Duration.ofSeconds(60));
        api.awaitVm(group + "b", "running", Duration.ofSeconds(60));
        var a = new GuestHttp(http, base, CoordinationBench.token(api, group + "a"));
        var b = new GuestHttp(http, base, CoordinationBench.token(api, group + "b"));
        String body = "{\"ttl_s\":" + ttlS + "}";
        var held = a.post("/v1/leases/leader", body);
        if (held.status() != 200) throw new IllegalStateException("guest A could not take the lease: " + held.json());
        if (b.post("/v1/leases/leader", body).status() != 409) throw new IllegalStateException("guest B got a lease A holds");
        var renewed = a.post("/v1/leases/leader", body); // a holder renews; the TTL-only wait starts from here
        Instant expiresAt = Instant.parse(renewed.json().path("expires_at").asText());

        Instant crashedAt = Instant.now();
        long k0 = System.nanoTime();
        sim.crashHost(victim);
        long deadline = k0 + Duration.ofSeconds(ttlS + 30L).toNanos();
        GuestHttp.Answer got;
        while ((got = b.post("/v1/leases/leader", body)).status() != 200) {
            if (got.status() != 409) throw new IllegalStateException("guest B's acquire answered " + got.status() + ": " + got.json());
            if (System.nanoTime() > deadline) throw new IllegalStateException("guest B got no lease within the TTL + 30 s");
            BenchApi.pause(20);
        }
        double failoverS = FailoverScenario.seconds(System.nanoTime() - k0);

        double detect = eventAfter(crashedAt, "host.unreachable", victim), fenced = eventAfter(crashedAt, "host.fenced", victim),
                revoked = eventAfter(crashedAt, "lease.revoked", group + "/leader");
        sim.recover(victim);
        api.awaitHostsConnected(hosts);
        return new Round(victim, failoverS, detect, fenced, revoked, FailoverScenario.seconds(Duration.between(crashedAt, expiresAt).toNanos()),
                ttlS, held.json().path("token").asLong(), got.json().path("token").asLong());
    }

    /** Seconds from {@code from} to the first event of that type and subject after it; a missing one fails the run. */
    private double eventAfter(Instant from, String type, String subject) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : api.get("/api/v1/events?limit=1000")) {
                Instant at = Instant.parse(e.path("at").asText());
                if (e.path("type").asText().equals(type) && e.path("subject").asText().equals(subject) && !at.isBefore(from)) {
                    return FailoverScenario.seconds(Duration.between(from, at).toNanos());
                }
            }
            BenchApi.pause(100);
        }
        throw new IllegalStateException("no " + type + " event for " + subject + " after the crash: not measured");
    }
}
