package io.polyvisor.ha;

import java.util.List;

/** What {@code GET /api/v1/ha/status} and {@code polyvisor ha status} show (fields become snake_case JSON). */
public record HaStatus(HaSettings settings, List<HostRow> hosts, List<ProtectedVm> protectedVms, AdmissionView admission,
                       List<FailoverView> recentFailovers) {

    /** @param phi the detector's current suspicion; {@code fenceMethods} in the order they are tried */
    public record HostRow(String name, String health, String detail, long sinceMs, double phi, String state, List<String> fenceMethods) {}

    /** @param serviceEndpoints for standby-protected VMs: {@code GUESTPORT -> 127.0.0.1:PORT}, the address that follows the primary */
    public record ProtectedVm(String name, String protection, int priority, String host, String state, String role,
                              Instance standby, List<String> serviceEndpoints) {}

    public record Instance(String name, String id, String host, String state) {}

    /** {@code ok} false means the cluster cannot keep its "tolerate N host failures" promise now; {@code reason} says why. */
    public record AdmissionView(boolean ok, String reason, int reservedCpus, long reservedMemoryBytes, List<String> worstCase) {}

    /** Times in ms after the host's last heartbeat; -1 when the step has not happened. */
    public record FailoverView(String host, long declaredAfterMs, long fencedAfterMs, String outcome, List<String> promoted,
                               List<String> restarted) {}
}
