package io.polyvisor.ha;

import io.polyvisor.api.Nullable;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Protection;
import io.polyvisor.model.VmState;

import java.util.List;
import java.util.UUID;

/** What {@code GET /api/v1/ha/status} and {@code polyvisor ha status} show (fields become snake_case JSON). */
public record HaStatus(HaSettings settings, List<HostRow> hosts, List<ProtectedVm> protectedVms, AdmissionView admission,
                       List<FailoverView> recentFailovers) {

    /**
     * @param health a {@code HostHealth} label: healthy, suspect, unreachable, fencing, dead, fence-failed, rejoining
     * @param phi            the detector's current suspicion; {@code fenceMethods} in the order they are tried
     * @param heartbeatAgeMs ms since the host last answered a liveness probe; null when it has not answered since it was
     *                       added (or since this server started watching it)
     */
    public record HostRow(String name, String health, @Nullable String detail, long sinceMs, double phi,
                          @Nullable Long heartbeatAgeMs, HostState state, List<String> fenceMethods) {}

    /**
     * @param role             {@code primary} for a standby-protected VM, else null
     * @param serviceEndpoints for standby-protected VMs: {@code GUESTPORT -> 127.0.0.1:PORT}, the address that follows the primary
     * @param unprotected      for a standby-protected VM that should run: why it is not protected now (no standby, a standby
     *                         that cannot take over, only one host left for the pair); for any protected VM with disks (in
     *                         its host's local pool): that HA cannot restart it on another host; null when it is protected
     */
    public record ProtectedVm(String name, Protection protection, int priority, @Nullable String host, VmState state,
                              @Nullable String role, @Nullable Instance standby, List<String> serviceEndpoints,
                              @Nullable String unprotected) {}

    /** One instance of a standby pair. */
    public record Instance(String name, UUID id, @Nullable String host, VmState state) {}

    /** {@code ok} false means the cluster cannot keep its "tolerate N host failures" promise now; {@code reason} says why. */
    public record AdmissionView(boolean ok, @Nullable String reason, int reservedCpus, long reservedMemoryBytes,
                                List<String> worstCase) {}

    /** Times in ms after the host's last heartbeat; -1 when the step has not happened or the host never sent one. */
    public record FailoverView(String host, long declaredAfterMs, long fencedAfterMs, String outcome, List<String> promoted,
                               List<String> restarted) {}
}
