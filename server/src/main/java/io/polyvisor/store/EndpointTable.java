package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.UUID;

/** Rows of {@code vm_endpoints}: guest TCP port to host loopback port, removed with their VM. */
final class EndpointTable {
    private EndpointTable() {}

    /** Replaces the VM's endpoints with {@code ports}; the VM must exist. */
    static void replace(Handle h, UUID vm, Map<Integer, Integer> ports) {
        if (VmTable.byIdForUpdate(h, vm).isEmpty()) throw new NoSuchElementException("VM " + vm + " not found");
        h.createUpdate("DELETE FROM vm_endpoints WHERE vm_id = :vm").bind("vm", vm).execute();
        if (ports.isEmpty()) return;
        var batch = h.prepareBatch("INSERT INTO vm_endpoints (vm_id, guest_port, host_port) VALUES (:vm, :guest, :host)");
        ports.forEach((guest, host) -> batch.bind("vm", vm).bind("guest", guest).bind("host", host).add());
        batch.execute();
    }

    /** Sorted by guest port. */
    static Map<Integer, Integer> of(Handle h, UUID vm) {
        var out = new TreeMap<Integer, Integer>();
        h.createQuery("SELECT guest_port, host_port FROM vm_endpoints WHERE vm_id = :vm").bind("vm", vm)
                .map((rs, ctx) -> Map.entry(rs.getInt("guest_port"), rs.getInt("host_port")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
