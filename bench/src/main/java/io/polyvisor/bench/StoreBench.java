package io.polyvisor.bench;

import io.polyvisor.store.Store;
import io.polyvisor.store.Stores;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code polyvisor bench store}: the store's write and read paths from several threads, against a baseline
 * measured in the same run on the same database: one autocommitted single-row INSERT over raw JDBC, the
 * cheapest durable write that database can do. The ratio says what the store's transactions, savepoints,
 * JSON columns and event ordering cost on top.
 */
public final class StoreBench {
    /** One workload: {@code ops} operations split over {@code threads} threads. */
    public record Result(String workload, String description, int threads, int ops, double seconds,
                         double p50Millis, double p99Millis) {
        public double opsPerSecond() {
            return ops / seconds;
        }
    }

    /** A database to measure: where to connect for the baseline, and the store opened on it. */
    public record Target(String url, String user, String password, Store store) {}

    private final Target target;
    private final int ops;
    private final int threads;

    public StoreBench(Target target, int ops, int threads) {
        if (ops < threads || threads < 1) throw new IllegalArgumentException("need ops >= threads >= 1");
        this.target = target;
        this.ops = ops;
        this.threads = threads;
    }

    /** Baseline first, then the store's paths; each workload starts from what the previous ones wrote. */
    public List<Result> run() throws Exception {
        var results = new ArrayList<Result>();
        results.add(baseline());
        Store store = target.store();
        var vms = new ArrayList<Vm>();
        for (int i = 0; i < ops; i++) vms.add(benchVm(i));
        results.add(measure("create_vm", "insertVm + insertTask + appendEvent in one transaction (the API's create)", i -> {
            Vm vm = vms.get(i);
            store.inTransaction(s -> {
                s.insertVm(vm);
                s.insertTask(new Task(UUID.randomUUID(), Task.Kind.CREATE, vm.id(), null, Task.Status.QUEUED, 0, null,
                        Instant.now(), Instant.now(), Map.of()));
                s.appendEvent("vm.created", vm.name(), "created");
                return null;
            });
        }));
        results.add(measure("update_vm", "updateVm of one VM (a controller recording an observed state)",
                i -> store.updateVm(vms.get(i).withState(VmState.RUNNING))));
        results.add(measure("replace_vm", "replaceVm compare-and-set under SELECT FOR UPDATE", i -> {
            // a lost compare-and-set would time the cheap failure path and print it as the write's cost
            if (!store.replaceVm(vms.get(i).withState(VmState.RUNNING), vms.get(i).withState(VmState.RUNNING).withHost("h2"))) {
                throw new IllegalStateException("replace_vm: the compare-and-set of " + vms.get(i).name() + " did not write");
            }
        }));
        results.add(measure("append_event", "appendEvent alone (seqs serialised by the counter row)",
                i -> store.appendEvent("bench", "vm" + i, "n")));
        results.add(measure("vm_by_name", "vmByName (read)", i -> store.vmByName(vms.get(i).name())));
        return results;
    }

    private Result baseline() throws Exception {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE TABLE bench_baseline (id UUID PRIMARY KEY, payload VARCHAR(200))");
        }
        var connections = new ThreadLocal<Connection>();
        var opened = new ArrayList<Connection>();
        try {
            // an untimed pass first: the baseline runs first, and would otherwise pay the cold JVM for everyone
            measure("jdbc_insert_warmup", "untimed", i -> insertBaseline(connections, opened, i));
            return measure("jdbc_insert", "baseline: one autocommitted single-row INSERT over raw JDBC",
                    i -> insertBaseline(connections, opened, i));
        } finally {
            for (Connection c : opened) c.close();
        }
    }

    /** One autocommitted INSERT on this thread's own connection (opened on first use and listed for closing). */
    private void insertBaseline(ThreadLocal<Connection> connections, List<Connection> opened, int i) throws Exception {
        Connection c = connections.get();
        if (c == null) {
            c = connect();
            synchronized (opened) {
                opened.add(c);
            }
            connections.set(c);
        }
        try (var st = c.prepareStatement("INSERT INTO bench_baseline (id, payload) VALUES (?, ?)")) {
            st.setObject(1, UUID.randomUUID());
            st.setString(2, "{\"op\":" + i + "}");
            st.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(target.url(), target.user(), target.password());
    }

    private interface Op {
        void run(int i) throws Exception;
    }

    private Result measure(String name, String description, Op op) throws Exception {
        long[] nanos = new long[ops];
        var next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < ops; ) {
                        long t0 = System.nanoTime();
                        op.run(i);
                        nanos[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        return new Result(name, description, threads, ops, seconds, percentile(nanos, 0.50), percentile(nanos, 0.99));
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static Vm benchVm(int i) {
        return new Vm(UUID.randomUUID(), "bench-" + i, VmSpec.of(1, 256 * Sizes.MiB), Map.of("bench", "store"),
                null, null, null, null, "h1");
    }
}
