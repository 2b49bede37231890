package io.polyvisor.api;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.spi.Usage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the API (docs/API.md), as records serialised with snake_case names. */
public final class Views {
    private Views() {}

    public record UsageView(double cpuCores, long memoryBytes) {
        public static UsageView of(Usage u) {
            return u == null ? null : new UsageView(u.cpuCores(), u.memoryBytes());
        }
    }

    public record HostView(String name, String uri, String driver, String state, int cpus, long memoryBytes,
                    Map<String, String> labels, int vmCount, List<String> capabilities, UsageView usage) {}

    public record EndpointView(int guestPort, String address) {}

    public record VmView(String id, String name, String state, String stateDetail, String intent, String host, int vcpus,
                  long memoryBytes, Map<String, Object> boot, String protection, int priority, Map<String, String> labels,
                  List<EndpointView> endpoints, UsageView usage,
                  @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> facets) {
        /** With the fields features add (see {@code feature.VmFacet}), written after the fields above. */
        public VmView withFacets(Map<String, Object> fields) {
            return new VmView(id, name, state, stateDetail, intent, host, vcpus, memoryBytes, boot, protection, priority, labels,
                    endpoints, usage, fields);
        }

        @com.fasterxml.jackson.annotation.JsonAnyGetter
        public Map<String, Object> facetFields() {
            return facets == null ? Map.of() : facets;
        }
    }

    public record TaskView(String id, String kind, String vmId, String vmName, String target, String status, int attempts,
                    String error, Instant created, Instant updated, Map<String, String> result) {}

    public record EventView(long seq, Instant at, String type, String subject, String message) {}

    public record CreatedView(VmView vm, TaskView task) {}

    public static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public static VmView vm(Vm vm, Map<Integer, Integer> endpoints, Usage usage) {
        List<EndpointView> eps = endpoints.entrySet().stream()
                .map(e -> new EndpointView(e.getKey(), "127.0.0.1:" + e.getValue())).toList();
        return new VmView(vm.id().toString(), vm.name(), vm.state().label(), vm.state().detail(), vm.intent().label(),
                vm.host(), vm.spec().vcpus(), vm.spec().memoryBytes(), boot(vm.spec().boot()), vm.protection().label(),
                vm.priority().level(), vm.labels(), eps, UsageView.of(usage), null);
    }

    public static Map<String, Object> boot(Boot b) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (b) {
            case Boot.None n -> m.put("type", "none");
            case Boot.Kernel k -> {
                m.put("type", "kernel");
                m.put("kernel", k.kernel());
                m.put("initrd", k.initrd());
                m.put("cmdline", k.cmdline());
            }
            case Boot.Disk d -> {
                m.put("type", "disk");
                m.put("image", d.image());
            }
        }
        return m;
    }

    public static TaskView task(Task t, String vmName) {
        return new TaskView(t.id().toString(), lower(t.kind()), t.vmId() == null ? null : t.vmId().toString(), vmName,
                t.target(), lower(t.status()), t.attempts(), t.error(), t.created(), t.updated(), t.result());
    }

    public static EventView event(Event e) {
        return new EventView(e.seq(), e.at(), e.type(), e.subject(), e.message());
    }

    public static HostView host(Host h, String driver, int vmCount, List<String> capabilities, Usage usage) {
        return new HostView(h.name(), h.uri().toString(), driver, h.state().label(), h.capacity().cpus(),
                h.capacity().memoryBytes(), h.labels(), vmCount, capabilities, UsageView.of(usage));
    }
}
