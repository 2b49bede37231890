package io.polyvisor.bench;

import io.polyvisor.coordination.KvEntry;
import io.polyvisor.server.RunningServer;
import io.polyvisor.store.Store;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Key-value throughput: {@code guests} VMs of one group, each in a loop writing its own key with compare-and-set on
 * the revision of its last write ({@code PUT /v1/kv/kN?cas=REV}, its own coordination token, HTTP on loopback).
 * The baseline is the same writes made straight on the store ({@code Store.inWriteTransaction}, as the service makes them), on {@code guests}
 * threads: one transaction each that locks the group's row, reads the key with a locking read and writes it, with
 * nothing else around it: no HTTP, no authentication, and no process lock (the database's row lock alone orders them,
 * which on H2 is not enough for compare-and-set, docs/COORDINATION.md; it is the store's ceiling for these writes,
 * the strongest baseline). Store and API phases alternate, each
 * {@code seconds} long, after one untimed warm-up phase of each; figures sum the phases of a kind.
 */
final class KvLoad {
    record Figures(long ops, double seconds, double p50Ms, double p99Ms) {
        double opsPerSecond() {
            return ops / seconds;
        }
    }

    private final Store store;
    private final List<GuestHttp> guests = new ArrayList<>();
    private final long[] apiRevision;
    private final java.util.concurrent.atomic.AtomicLong throttled = new java.util.concurrent.atomic.AtomicLong();

    KvLoad(BenchApi api, RunningServer server, HttpClient http, int count) {
        this.store = server.store();
        for (int i = 1; i <= count; i++) CoordinationBench.member(api, "kv" + i, "kv", null, false);
        for (int i = 1; i <= count; i++) {
            api.awaitVm("kv" + i, "running", Duration.ofSeconds(120));
            guests.add(new GuestHttp(http, server.url().toString(), CoordinationBench.token(api, "kv" + i)));
        }
        apiRevision = new long[count];
    }

    /** Returns {guest API, store} figures. */
    Figures[] run(double seconds, int phases) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(guests.size())) {
            measure(pool, 1, this::storeWrite);
            measure(pool, 1, this::apiWrite);
            List<Phase> api = new ArrayList<>(), raw = new ArrayList<>();
            for (int p = 0; p < phases; p++) {
                raw.add(measure(pool, seconds, this::storeWrite));
                api.add(measure(pool, seconds, this::apiWrite));
            }
            return new Figures[] {sum(api), sum(raw)};
        }
    }

    /** Writes the guest API refused with 429 (over the VM's rate limit); the guest then waits 1 s, as Retry-After asks. */
    long throttled() {
        return throttled.get();
    }

    private boolean apiWrite(int i, long n) {
        var a = guests.get(i).put("/v1/kv/k" + i + "?cas=" + apiRevision[i], "{\"value\":\"v" + n + "\"}");
        if (a.status() == 429) {
            throttled.incrementAndGet();
            BenchApi.pause(1000);
            return false;
        }
        if (a.status() != 200) throw new IllegalStateException("guest kv" + (i + 1) + "'s write answered " + a.status() + ": " + a.json());
        apiRevision[i] = a.json().path("revision").asLong();
        return true;
    }

    private boolean storeWrite(int i, long n) {
        String key = "k" + i;
        store.inWriteTransaction(tx -> {
            long rev = tx.lockCoordGroup("raw", 1);
            tx.kv("raw", key);
            tx.putKv(new KvEntry("raw", key, "v" + n, rev));
            return rev;
        });
        return true;
    }

    @FunctionalInterface
    private interface Write {
        /** False: refused without effect (not counted). */
        boolean apply(int worker, long n);
    }

    /** One phase: every write's latency in nanoseconds, and the phase's length in seconds. */
    private record Phase(long[] nanos, double seconds) {}

    private Phase measure(ExecutorService pool, double seconds, Write write) throws Exception {
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        List<Future<long[]>> workers = new ArrayList<>();
        for (int i = 0; i < guests.size(); i++) {
            int w = i;
            workers.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long a = System.nanoTime();
                    if (!write.apply(w, n)) continue;
                    if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                    lat[n++] = System.nanoTime() - a;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        long[] all = new long[0];
        for (var f : workers) {
            long[] l = f.get();
            int at = all.length;
            all = Arrays.copyOf(all, at + l.length);
            System.arraycopy(l, 0, all, at, l.length);
        }
        return new Phase(all, (System.nanoTime() - t0) / 1e9);
    }

    /** Phases of one kind together: every write over their total time, percentiles over every write. */
    private static Figures sum(List<Phase> phases) {
        long[] all = phases.stream().flatMapToLong(p -> Arrays.stream(p.nanos())).sorted().toArray();
        double secs = phases.stream().mapToDouble(Phase::seconds).sum();
        return new Figures(all.length, secs, pct(all, 0.50), pct(all, 0.99));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) throw new IllegalStateException("no write finished in a phase: nothing measured");
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
