package io.polyvisor.ha;

import io.polyvisor.events.EventType;

/** What high availability records; every step of a failover is one event (docs/HA.md). */
public enum HaEvent implements EventType {
    HOST_SUSPECT("host.suspect"),
    HOST_UNREACHABLE("host.unreachable"),
    /** A suspect or unreachable host answers again before anything was done to it. */
    HOST_HEALTHY("host.healthy"),
    HOST_FENCING("host.fencing"),
    HOST_FENCED("host.fenced"),
    HOST_FENCE_FAILED("host.fence-failed"),
    HOST_REJOINING("host.rejoining"),
    HOST_REJOINED("host.rejoined"),
    /** A standby became the primary. */
    VM_FAILOVER("vm.failover"),
    VM_FENCE_FAILED("vm.fence-failed"),
    VM_RESTARTING("vm.restarting"),
    /** A VM to restart finds no host with room. */
    VM_UNPLACED("vm.unplaced"),
    /** A VM is not restarted because its host could not be fenced (it might still run there). */
    VM_STRANDED("vm.stranded"),
    /** An unprotected VM went down with its host. */
    VM_LOST("vm.lost"),
    /** A standby instance was created or deleted. */
    VM_STANDBY("vm.standby"),
    VM_STANDBY_UNPLACED("vm.standby-unplaced"),
    /** A standby-protected VM lost its protection (no standby, or one that cannot take over); the message says why. */
    VM_UNPROTECTED("vm.unprotected"),
    /** A standby-protected VM that was reported unprotected has a running standby on another healthy host again. */
    VM_PROTECTED("vm.protected"),
    HA_SETTINGS("ha.settings"),
    HA_FENCE_AGENT("ha.fence-agent");

    private final String wireName;

    HaEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
