package io.polyvisor.store;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Capacity;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Nic;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Values with every field set to something other than its default, for round-trip tests. */
final class StoreFixtures {
    private StoreFixtures() {}

    static Host host(String name) {
        return new Host(name, URI.create("sim://local/" + name), new Capacity(16, 64 * Sizes.GiB),
                Map.of("rack", "r1", "zone", "eu-1"), HostState.CONNECTED);
    }

    static Vm vm(String name) {
        var spec = new VmSpec(2, 512 * Sizes.MiB, Boot.none(), List.of(Nic.user()), List.of());
        return new Vm(UUID.randomUUID(), name, spec, Map.of(), null, null, null, null, null);
    }

    /** A VM whose every component differs from the defaults: kernel boot, two NICs, ports, labels, migrating. */
    static Vm richVm(String name) {
        var boot = new Boot.Kernel("/var/lib/polyvisor/vmlinuz", "/var/lib/polyvisor/initrd.img", "console=ttyS0 quiet");
        var nics = List.of(new Nic("user", null), new Nic("br-data", "52:54:00:12:34:56"));
        var spec = new VmSpec(4, 3 * Sizes.GiB, boot, nics, List.of(8080, 22, 443), List.of(), io.polyvisor.model.Display.VNC);
        return new Vm(UUID.randomUUID(), name, spec, Map.of("app", "web", "tier", "front"), Protection.STANDBY,
                Priority.HIGHEST, PowerIntent.PAUSED, new VmState.Migrating("h2"), "h1");
    }

    static Task task(UUID vm, Task.Kind kind, Task.Status status, Instant created) {
        return new Task(UUID.randomUUID(), kind, vm, null, status, 0, null, created, created, Map.of());
    }

    /** Now, at the microsecond precision both databases keep. */
    /**
     * Appends through {@code store} in a transaction of its own and returns the event as committed: the store numbers
     * events at commit, so only a committed event has its seq. It is the newest stored event with these fields
     * (callers appending concurrently use distinct fields).
     */
    static io.polyvisor.model.Event append(io.polyvisor.store.Store store, String type, String subject, String message) {
        store.appendEvent(type, subject, message);
        return stored(store, type, subject, message);
    }

    /** The newest stored event with these fields. */
    static io.polyvisor.model.Event stored(io.polyvisor.store.Store store, String type, String subject, String message) {
        return store.events(0, Integer.MAX_VALUE).reversed().stream()
                .filter(e -> e.type().equals(type) && java.util.Objects.equals(e.subject(), subject)
                        && java.util.Objects.equals(e.message(), message))
                .findFirst().orElseThrow(() -> new AssertionError("appended event " + type + " not found"));
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
