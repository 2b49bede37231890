package io.polyvisor.libvirt;

import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.Test;
import org.libvirt.event.CrashedDetail;
import org.libvirt.event.DefinedDetail;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.ResumedDetail;
import org.libvirt.event.ShutdownDetail;
import org.libvirt.event.StartedDetail;
import org.libvirt.event.StoppedDetail;
import org.libvirt.event.SuspendedDetail;
import org.libvirt.event.UndefinedDetail;

import static org.assertj.core.api.Assertions.assertThat;

class EventMappingTest {
    @Test
    void lifecycleEventsMapToPowerStatesWithAReason() {
        assertThat(EventMapping.of(DomainEventType.STARTED, StartedDetail.BOOTED)).contains(new EventMapping.Change(PowerState.RUNNING, "started: booted"));
        assertThat(EventMapping.of(DomainEventType.STARTED, StartedDetail.MIGRATED)).contains(new EventMapping.Change(PowerState.RUNNING, "started: migrated"));
        assertThat(EventMapping.of(DomainEventType.RESUMED, ResumedDetail.UNPAUSED)).contains(new EventMapping.Change(PowerState.RUNNING, "resumed: unpaused"));
        assertThat(EventMapping.of(DomainEventType.SUSPENDED, SuspendedDetail.PAUSED)).contains(new EventMapping.Change(PowerState.PAUSED, "suspended: paused"));
        assertThat(EventMapping.of(DomainEventType.STOPPED, StoppedDetail.SHUTDOWN)).contains(new EventMapping.Change(PowerState.SHUTOFF, "stopped: shutdown"));
        assertThat(EventMapping.of(DomainEventType.STOPPED, StoppedDetail.DESTROYED)).contains(new EventMapping.Change(PowerState.SHUTOFF, "stopped: destroyed"));
        assertThat(EventMapping.of(DomainEventType.STOPPED, StoppedDetail.MIGRATED)).contains(new EventMapping.Change(PowerState.SHUTOFF, "stopped: migrated"));
        assertThat(EventMapping.of(DomainEventType.CRASHED, CrashedDetail.PANICKED)).contains(new EventMapping.Change(PowerState.CRASHED, "crashed: panicked"));
        assertThat(EventMapping.of(DomainEventType.UNDEFINED, UndefinedDetail.REMOVED)).contains(new EventMapping.Change(null, "undefined: removed"));
    }

    @Test
    void aKilledOrFailedEmulatorIsACrashNotAStop() {
        assertThat(EventMapping.of(DomainEventType.STOPPED, StoppedDetail.FAILED)).contains(new EventMapping.Change(PowerState.CRASHED, "stopped: failed"));
        assertThat(EventMapping.of(DomainEventType.STOPPED, StoppedDetail.CRASHED)).contains(new EventMapping.Change(PowerState.CRASHED, "stopped: crashed"));
    }

    @Test
    void eventsThatChangeNoPowerStateAreDropped() {
        assertThat(EventMapping.of(DomainEventType.DEFINED, DefinedDetail.ADDED)).isEmpty();
        assertThat(EventMapping.of(DomainEventType.SHUTDOWN, ShutdownDetail.FINISHED)).as("still running until STOPPED").isEmpty();
    }
}
