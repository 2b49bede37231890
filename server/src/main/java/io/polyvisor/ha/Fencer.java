package io.polyvisor.ha;

import io.polyvisor.settings.CorruptSetting;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.HostConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fences a host by trying its methods in order until one succeeds: the driver's own fencing (when the driver
 * has the capability; it works for a partitioned simulated host, and for a libvirt host whose daemon still
 * answers), then the host's fence agent if one is configured. All failing, or none available, gives
 * {@link FenceOutcome.Failed} listing every reason: the host's VMs are then never restarted.
 *
 * <p>This is the one place HA calls a driver to act, on purpose: fencing a host is HA's own job, not a lifecycle
 * step for the task executor. It concerns a host, not one VM (tasks are keyed and serialised by VM); it must reach
 * a verdict, fenced or failed, before any VM of the host may restart, where a task would retry with back-off; and it
 * must use the connection kept while the host does not answer ({@code connections} never connects), where a task's
 * steps connect first.
 */
final class Fencer {
    private final Function<String, Optional<HostConnection>> connections;
    private final Function<String, Optional<FenceConfig>> agents;
    private final Duration agentTimeout;

    /**
     * @param connections the open connection to a host, if any (never connects: a dead host would hang us)
     * @param agents      the fence agent configured for a host, if any
     */
    Fencer(Function<String, Optional<HostConnection>> connections, Function<String, Optional<FenceConfig>> agents,
           Duration agentTimeout) {
        this.connections = connections;
        this.agents = agents;
        this.agentTimeout = agentTimeout;
    }

    FenceOutcome fence(String host) {
        var reasons = new ArrayList<String>();
        for (FenceMethod m : methods(host)) {
            try {
                m.fence(host);
                return new FenceOutcome.Fenced(m.name());
            } catch (FenceMethod.Failed e) {
                reasons.add(m.name() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                reasons.add(m.name() + ": " + e.getMessage());
            }
        }
        if (reasons.isEmpty()) reasons.add("no fence method: the driver cannot fence and no fence agent is configured");
        return new FenceOutcome.Failed(String.join("; ", reasons));
    }

    List<FenceMethod> methods(String host) {
        var out = new ArrayList<FenceMethod>();
        connections.apply(host).filter(c -> c.capabilities().contains(Capability.FENCING)).ifPresent(c -> out.add(new DriverFence(c)));
        try {
            agents.apply(host).ifPresent(cfg -> out.add(new FenceAgent(cfg, agentTimeout)));
        } catch (CorruptSetting e) {
            out.add(new UnreadableAgent(e.getMessage())); // this host stays unfenced and says why; HA goes on for the others
        }
        return out;
    }

    /** A fence agent whose stored configuration cannot be read: it fails with the reason, every time. */
    private record UnreadableAgent(String reason) implements FenceMethod {
        @Override
        public String name() {
            return "fence agent";
        }

        @Override
        public void fence(String host) throws Failed {
            throw new Failed(reason);
        }
    }

    /** The driver's host fencing. */
    private record DriverFence(HostConnection connection) implements FenceMethod {
        @Override
        public String name() {
            return "driver";
        }

        @Override
        public void fence(String host) throws Failed {
            try {
                connection.fencing().fenceHost();
            } catch (RuntimeException e) {
                throw new Failed(e.getMessage());
            }
        }
    }
}
