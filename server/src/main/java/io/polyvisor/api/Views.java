package io.polyvisor.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Event;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Usage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON shapes of the API (docs/API.md), as records serialised with {@link Json#mapper()}: snake_case names,
 * enums as labels. Their schemas in the OpenAPI document are generated from these types ({@link ViewSchemas}):
 * a component is always present, and null only where it is {@link Nullable}.
 */
public final class Views {
    private Views() {}

    public record HealthView(String status) {}

    public record UsageView(double cpuCores, long memoryBytes) {
        public static UsageView of(Usage u) {
            return u == null ? null : new UsageView(u.cpuCores(), u.memoryBytes());
        }
    }

    public record HostView(String name, String uri, @Nullable String driver, HostState state, int cpus, long memoryBytes,
                    Map<String, String> labels, int vmCount, List<String> capabilities, @Nullable UsageView usage) {}

    public record EndpointView(int guestPort, String address) {}

    /** How a VM boots, with {@code type} naming the case. */
    public sealed interface BootView {
        record NoBoot(String type) implements BootView {}

        record KernelBoot(String type, String kernel, @Nullable String initrd, String cmdline) implements BootView {}

        record DiskBoot(String type, String image) implements BootView {}
    }

    /**
     * A VM. Features add fields ({@code feature.VmFacet}): they are written after the fields above, and the
     * OpenAPI document lists them in the Vm schema.
     */
    public record VmView(UUID id, String name, VmState state, @Nullable String stateDetail, PowerIntent intent,
                  @Nullable String host, int vcpus, long memoryBytes, BootView boot, Protection protection, int priority,
                  Map<String, String> labels, List<EndpointView> endpoints, @Nullable UsageView usage,
                  @JsonIgnore Map<String, Object> facets) {
        /** With the fields features add, in their order. */
        public VmView withFacets(Map<String, Object> fields) {
            return new VmView(id, name, state, stateDetail, intent, host, vcpus, memoryBytes, boot, protection, priority, labels,
                    endpoints, usage, fields);
        }

        @JsonAnyGetter
        public Map<String, Object> facetFields() {
            return facets == null ? Map.of() : facets;
        }
    }

    /** @param vmName null once the VM is deleted */
    public record TaskView(UUID id, Task.Kind kind, @Nullable UUID vmId, @Nullable String vmName, @Nullable String target,
                    Task.Status status, int attempts, @Nullable String error, Instant created, Instant updated,
                    Map<String, String> result) {}

    /** @param data the event's machine-readable facts ({@link Event#data}), {} when it has none */
    public record EventView(long seq, Instant at, String type, @Nullable String subject, @Nullable String message,
                            Map<String, String> data) {}

    public record CreatedView(VmView vm, TaskView task) {}

    public static VmView vm(Vm vm, Map<Integer, Integer> endpoints, Usage usage) {
        List<EndpointView> eps = endpoints.entrySet().stream()
                .map(e -> new EndpointView(e.getKey(), "127.0.0.1:" + e.getValue())).toList();
        return new VmView(vm.id(), vm.name(), vm.state(), vm.state().detail(), vm.intent(), vm.host(), vm.spec().vcpus(),
                vm.spec().memoryBytes(), boot(vm.spec().boot()), vm.protection(), vm.priority().level(), vm.labels(), eps,
                UsageView.of(usage), null);
    }

    static BootView boot(Boot b) {
        return switch (b) {
            case Boot.None n -> new BootView.NoBoot("none");
            case Boot.Kernel k -> new BootView.KernelBoot("kernel", k.kernel(), k.initrd(), k.cmdline());
            case Boot.Disk d -> new BootView.DiskBoot("disk", d.image());
        };
    }

    public static TaskView task(Task t, String vmName) {
        return new TaskView(t.id(), t.kind(), t.vmId(), vmName, t.target(), t.status(), t.attempts(), t.error(), t.created(),
                t.updated(), t.result());
    }

    public static EventView event(Event e) {
        return new EventView(e.seq(), e.at(), e.type(), e.subject(), e.message(), e.data());
    }

    public static HostView host(Host h, String driver, int vmCount, List<String> capabilities, Usage usage) {
        return new HostView(h.name(), h.uri().toString(), driver, h.state(), h.capacity().cpus(), h.capacity().memoryBytes(),
                h.labels(), vmCount, capabilities, UsageView.of(usage));
    }
}
