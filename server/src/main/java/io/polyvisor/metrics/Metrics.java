package io.polyvisor.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics. Counts of hosts, VMs and unfinished tasks are read from the store at scrape time
 * (so they are right even when several servers share the database); task outcomes and HTTP requests
 * are timed as they happen in this process.
 *
 * <pre>
 * polyvisor_hosts{state}                      polyvisor_vms{state}
 * polyvisor_tasks_unfinished{kind,status}     polyvisor_task_duration_seconds{kind,status} (timer)
 * polyvisor_host_cpus{host}  polyvisor_host_memory_bytes{host}
 * polyvisor_host_cpu_used_cores{host}  polyvisor_host_memory_used_bytes{host}
 * polyvisor_vm_cpu_used_cores{vm}  polyvisor_vm_memory_used_bytes{vm}
 * polyvisor_http_requests_seconds{method,route,status} (timer)
 * jvm_memory_used_bytes, jvm_gc_pause_seconds, jvm_threads_live_threads, process_cpu_usage, process_uptime_seconds,
 * process_files_open_files, system_cpu_count, ... (Micrometer's JVM and process binders)
 * </pre>
 * Series of removed hosts and VMs disappear at the next scrape (gauges are re-registered whole).
 */
public final class Metrics {
    private static final List<String> VM_STATES = List.of("pending", "stopped", "running", "paused", "migrating", "failed", "unknown");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Store store;
    private final UsageView usage;
    private final MultiGauge hosts, vms, unfinished, hostCpus, hostMemory, hostCpuUsed, hostMemoryUsed, vmCpuUsed, vmMemoryUsed;

    public Metrics(Store store, UsageView usage) {
        this.store = store;
        this.usage = usage;
        hosts = gauge("polyvisor_hosts", "Hosts by state");
        vms = gauge("polyvisor_vms", "VMs by state");
        unfinished = gauge("polyvisor_tasks_unfinished", "Queued and running tasks by kind");
        hostCpus = gauge("polyvisor_host_cpus", "CPUs of each host");
        hostMemory = gauge("polyvisor_host_memory_bytes", "Memory of each host");
        hostCpuUsed = gauge("polyvisor_host_cpu_used_cores", "Measured CPU use of each host, in cores");
        hostMemoryUsed = gauge("polyvisor_host_memory_used_bytes", "Measured memory use of each host");
        vmCpuUsed = gauge("polyvisor_vm_cpu_used_cores", "Measured CPU use of each VM, in cores");
        vmMemoryUsed = gauge("polyvisor_vm_memory_used_bytes", "Measured memory use of each VM");
        // the server's own health, under Micrometer's standard names (jvm_*, process_*, system_*)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
    }

    private MultiGauge gauge(String name, String help) {
        return MultiGauge.builder(name).description(help).register(registry);
    }

    /** Records a finished task (succeeded or failed) and how long its last attempt ran. */
    public void taskFinished(Task t, Duration took) {
        Timer.builder("polyvisor_task_duration").description("Task run time by kind and outcome")
                .tags("kind", lower(t.kind()), "status", lower(t.status()))
                .register(registry).record(took);
    }

    /** Records one HTTP request; {@code route} is the route template, never the raw path. */
    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder("polyvisor_http_requests").description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition, with store-derived gauges refreshed first. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        List<Host> hs = store.hosts();
        Map<Tags, Number> byHostState = new LinkedHashMap<>();
        for (HostState s : HostState.values()) byHostState.put(Tags.of("state", s.label()), 0);
        hs.forEach(h -> byHostState.merge(Tags.of("state", h.state().label()), 1, (a, b) -> a.intValue() + b.intValue()));
        hosts.register(rows(byHostState), true);

        List<Vm> all = store.vms();
        Map<Tags, Number> byVmState = new LinkedHashMap<>();
        VM_STATES.forEach(s -> byVmState.put(Tags.of("state", s), 0));
        all.forEach(v -> byVmState.merge(Tags.of("state", v.state().label()), 1, (a, b) -> a.intValue() + b.intValue()));
        vms.register(rows(byVmState), true);

        Map<Tags, Number> open = new LinkedHashMap<>();
        store.unfinishedTasks().forEach(t -> open.merge(Tags.of("kind", lower(t.kind()), "status", lower(t.status())), 1,
                (a, b) -> a.intValue() + b.intValue()));
        unfinished.register(rows(open), true);

        Map<Tags, Number> cpus = new LinkedHashMap<>(), memory = new LinkedHashMap<>();
        hs.forEach(h -> {
            cpus.put(Tags.of("host", h.name()), h.capacity().cpus());
            memory.put(Tags.of("host", h.name()), h.capacity().memoryBytes());
        });
        hostCpus.register(rows(cpus), true);
        hostMemory.register(rows(memory), true);

        Map<Tags, Number> hostCpu = new LinkedHashMap<>(), hostMem = new LinkedHashMap<>();
        var registered = new java.util.HashSet<String>();
        hs.forEach(h -> registered.add(h.name()));
        usage.hosts().forEach((name, u) -> {
            if (!registered.contains(name)) return; // a removed host's last measurement is not a series any more
            hostCpu.put(Tags.of("host", name), u.cpuCores());
            hostMem.put(Tags.of("host", name), u.memoryBytes());
        });
        hostCpuUsed.register(rows(hostCpu), true);
        hostMemoryUsed.register(rows(hostMem), true);

        Map<UUID, String> names = new HashMap<>();
        all.forEach(v -> names.put(v.id(), v.name()));
        Map<Tags, Number> vmCpu = new LinkedHashMap<>(), vmMem = new LinkedHashMap<>();
        usage.vms().forEach((id, u) -> {
            String name = names.get(id);
            if (name == null) return;
            vmCpu.put(Tags.of("vm", name), u.cpuCores());
            vmMem.put(Tags.of("vm", name), u.memoryBytes());
        });
        vmCpuUsed.register(rows(vmCpu), true);
        vmMemoryUsed.register(rows(vmMem), true);
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Number> values) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        values.forEach((tags, n) -> out.add(MultiGauge.Row.of(tags, n)));
        return out;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
