package io.polyvisor.coord;

import io.polyvisor.linearizability.Operation;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One guest of {@link CoordLinearizabilityTest}: until {@code end}, random operations through the guest API with the
 * token its current instance was handed (the simulator's guest data, as the guest would read its fw_cfg entry), each
 * recorded with its call and return time. An answer 401 (its instance was replaced, so its token too) or 429 (over its
 * rate limit), and a refusal
 * before anything is read or written (a VM that is not running may not acquire) had no effect and are not recorded;
 * a failed request is recorded with an unknown outcome.
 */
final class JepsenGuest implements Runnable {
    private static final Pattern BUSY = Pattern.compile("is held by (\\S+) \\(token (\\d+)\\)");
    private static final Pattern NOT_HOLDER = Pattern.compile("is held by (\\S+), not ");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final TestServer s;
    private final SimDatacenter sim;
    private final String name;
    private final int client;
    private final Random rnd;
    private final long end;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Operation<CoordModel.In, CoordModel.Out>> history = new ArrayList<>();
    private final Map<String, Long> revisions = new HashMap<>();
    private String token;
    private String instanceHost;
    private long leaseToken;
    private int n;
    private volatile Throwable failure;

    JepsenGuest(TestServer s, SimDatacenter sim, String name, int client, Random rnd, long end) {
        this.s = s;
        this.sim = sim;
        this.name = name;
        this.client = client;
        this.rnd = rnd;
        this.end = end;
    }

    String name() {
        return name;
    }

    /** The recorded history; rethrows what stopped this guest, if anything did. */
    List<Operation<CoordModel.In, CoordModel.Out>> history() {
        if (failure != null) throw new AssertionError("guest " + name + " failed", failure);
        return history;
    }

    @Override
    public void run() {
        try {
            while (System.nanoTime() < end) {
                if (token == null && (token = instanceToken()) == null || crashed()) {
                    Thread.sleep(50);
                    continue;
                }
                one();
                Thread.sleep(rnd.nextInt(8));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The coordination token handed to the VM's running instance, or null while it has none. */
    private String instanceToken() {
        var vm = s.get("/api/v1/vms/" + name).json();
        if (!vm.path("state").asText().equals("running") || vm.path("host").asText().isEmpty()) return null;
        instanceHost = vm.path("host").asText();
        try {
            return sim.guestData(instanceHost, UUID.fromString(vm.path("id").asText()))
                    .map(g -> g.entries().get("coord-token")).orElse(null);
        } catch (RuntimeException unreachable) {
            return null; // its host is down or cut off: the guest cannot read anything either
        }
    }

    /**
     * Whether this guest's instance died with its host: a powered-off guest does nothing (a partitioned one goes on,
     * like a paused old leader that comes back). When HA restarts the VM elsewhere, its old token is refused (401)
     * and the guest takes its new instance's.
     */
    private boolean crashed() {
        return instanceHost != null && sim.health(instanceHost) == io.polyvisor.sim.HostHealth.CRASHED;
    }

    private void one() throws Exception {
        int pick = rnd.nextInt(100);
        String key = CoordLinearizabilityTest.KEYS.get(rnd.nextInt(CoordLinearizabilityTest.KEYS.size()));
        String value = "c" + client + "-" + (++n);
        String lease = CoordLinearizabilityTest.LEASE;
        if (pick < 25) {
            call(new CoordModel.Read(key), req("/v1/kv/" + key).GET());
        } else if (pick < 52) {
            long expect = revisions.getOrDefault(key, 0L);
            call(new CoordModel.Cas(key, expect, value), json(req("/v1/kv/" + key + "?cas=" + expect), "PUT", "{\"value\":\"" + value + "\"}"));
        } else if (pick < 60) {
            long expect = revisions.getOrDefault(key, 0L);
            call(new CoordModel.Delete(key, expect), req("/v1/kv/" + key + "?cas=" + expect).DELETE());
        } else if (pick < 80) {
            call(new CoordModel.Acquire(lease, name), json(req("/v1/leases/" + lease), "POST", "{\"ttl_s\":600}"));
        } else if (pick < 88) {
            call(new CoordModel.Release(lease, name), req("/v1/leases/" + lease).DELETE());
        } else {
            long t = Math.max(1, rnd.nextInt(5) == 0 ? leaseToken - 1 : leaseToken);
            call(new CoordModel.FencedPut(lease, t, value), json(req("/v1/kv/fenced/" + lease).header("If-Match-Token", lease + ":" + t),
                    "PUT", "{\"value\":\"" + value + "\"}"));
        }
    }

    private HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.Builder json(HttpRequest.Builder b, String method, String body) {
        return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private void call(CoordModel.In in, HttpRequest.Builder request) throws Exception {
        long call = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            history.add(new Operation<>(client, in, call, new CoordModel.Unknown(), Operation.NEVER));
            return;
        }
        long ret = System.nanoTime();
        if (r.statusCode() == 401) {
            token = null;
            return;
        }
        if (r.statusCode() == 429) { // over its rate limit: refused before anything happened
            Thread.sleep(100);
            return;
        }
        if (r.statusCode() >= 500) {
            history.add(new Operation<>(client, in, call, new CoordModel.Unknown(), Operation.NEVER));
            return;
        }
        CoordModel.Out out = outcome(in, r);
        if (out != null) history.add(new Operation<>(client, in, call, out, ret));
    }

    /** What the answer says happened; null for a refusal that had no effect. */
    private CoordModel.Out outcome(CoordModel.In in, HttpResponse<String> r) throws IOException {
        int st = r.statusCode();
        var body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        String detail = body.path("detail").asText();
        CoordModel.Out out = switch (in) {
            case CoordModel.Read x when st == 200 -> new CoordModel.Found(body.path("value").asText(), body.path("revision").asLong());
            case CoordModel.Read x when st == 404 -> new CoordModel.Absent();
            case CoordModel.Cas c when st == 200 -> {
                revisions.put(c.key(), body.path("revision").asLong());
                yield new CoordModel.Written(body.path("revision").asLong());
            }
            case CoordModel.Cas c when st == 409 -> {
                long cur = Long.parseLong(r.headers().firstValue("X-Polyvisor-Revision").orElseThrow());
                revisions.put(c.key(), cur);
                yield new CoordModel.CasRefused(cur);
            }
            case CoordModel.Delete d when st == 200 -> {
                revisions.put(d.key(), 0L);
                yield new CoordModel.Written(body.path("revision").asLong());
            }
            case CoordModel.Delete d when st == 404 -> new CoordModel.Absent();
            case CoordModel.Delete d when st == 409 -> {
                long cur = Long.parseLong(r.headers().firstValue("X-Polyvisor-Revision").orElseThrow());
                revisions.put(d.key(), cur);
                yield new CoordModel.CasRefused(cur);
            }
            case CoordModel.Acquire a when st == 200 -> {
                leaseToken = body.path("token").asLong();
                yield new CoordModel.Granted(leaseToken);
            }
            case CoordModel.Acquire a when st == 409 && BUSY.matcher(detail).find() -> {
                var m = BUSY.matcher(detail);
                m.find();
                yield new CoordModel.Busy(m.group(1), Long.parseLong(m.group(2)));
            }
            case CoordModel.Acquire a when st == 409 && detail.contains("only a running VM may hold a lease") -> null;
            case CoordModel.Release x when st == 200 -> new CoordModel.Released(body.path("token").asLong());
            case CoordModel.Release x when st == 404 -> new CoordModel.Absent();
            case CoordModel.Release x when st == 409 && NOT_HOLDER.matcher(detail).find() -> {
                var m = NOT_HOLDER.matcher(detail);
                m.find();
                yield new CoordModel.NotHolder(m.group(1));
            }
            case CoordModel.FencedPut f when st == 200 -> new CoordModel.Written(body.path("revision").asLong());
            case CoordModel.FencedPut f when st == 409 -> new CoordModel.Refused();
            default -> throw new AssertionError("unexpected answer to " + in + ": " + st + " " + r.body());
        };
        return out;
    }
}
