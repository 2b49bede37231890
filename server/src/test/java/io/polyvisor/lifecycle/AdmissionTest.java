package io.polyvisor.lifecycle;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Task.Kind;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.PowerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionTest {
    private static Vm vm(String state, PowerIntent intent) {
        return new Vm(UUID.randomUUID(), "web1", VmSpec.of(1, 64L << 20), null, null, null, intent,
                VmState.parse(state, state.equals("failed") || state.equals("unknown") || state.equals("migrating") ? "x" : null), "h1");
    }

    @ParameterizedTest(name = "{1} when {0}")
    @CsvSource(delimiter = '|', textBlock = """
            running | START   | vm web1 is running; it must be stopped or failed to start
            stopped | START   | -
            failed  | START   | -
            stopped | STOP    | vm web1 is already stopped
            pending | STOP    | vm web1 is pending; it must be created to stop
            running | STOP    | -
            paused  | STOP    | -
            unknown | STOP    | -
            running | REBOOT  | -
            paused  | REBOOT  | vm web1 is paused; it must be running to reboot
            running | SUSPEND | -
            stopped | SUSPEND | vm web1 is stopped; it must be running to suspend
            paused  | RESUME  | -
            running | RESUME  | vm web1 is running; it must be paused to resume
            running | MIGRATE | -
            paused  | MIGRATE | -
            stopped | MIGRATE | vm web1 is stopped; it must be running to migrate
            failed  | MIGRATE | vm web1 is failed; it must be running to migrate
            pending | DELETE  | -
            running | DELETE  | -
            """)
    void decidesFromTheState(String state, Kind kind, String refusal) {
        var r = Admission.check(vm(state, PowerIntent.RUNNING), kind, null);
        assertThat(r.orElse("-")).isEqualTo(refusal);
    }

    @Test
    void busyVmsTakeOnlyDeletes() {
        Vm v = vm("running", PowerIntent.RUNNING);
        assertThat(Admission.check(v, Kind.STOP, Kind.REBOOT)).contains("vm web1 is busy with a reboot task; try again when it finishes");
        assertThat(Admission.check(v, Kind.DELETE, Kind.REBOOT)).isEmpty();
        assertThat(Admission.check(vm("running", PowerIntent.DELETED), Kind.START, null)).contains("vm web1 is being deleted");
        assertThat(Admission.check(vm("running", PowerIntent.DELETED), Kind.DELETE, Kind.DELETE)).contains("vm web1 is being deleted");
        assertThat(Admission.check(vm("running", PowerIntent.DELETED), Kind.DELETE, null)).as("a failed delete may be retried").isEmpty();
    }

    @Test
    void observedStateNamesWhatHappened() {
        Vm wantsRunning = vm("running", PowerIntent.RUNNING);
        Vm wantsStopped = vm("running", PowerIntent.STOPPED);
        assertThat(Observed.state(wantsRunning, PowerState.RUNNING, "h1")).isEqualTo(VmState.RUNNING);
        assertThat(Observed.state(wantsRunning, PowerState.SHUTOFF, "h1")).isEqualTo(new VmState.Failed("stopped outside Polyvisor on host h1"));
        assertThat(Observed.state(wantsStopped, PowerState.SHUTOFF, "h1")).isEqualTo(VmState.STOPPED);
        assertThat(Observed.state(wantsStopped, PowerState.CRASHED, "h1")).isEqualTo(new VmState.Failed("crashed on host h1"));
        assertThat(Observed.state(wantsRunning, null, "h1")).isEqualTo(new VmState.Failed("vm vanished from host h1"));
        assertThat(Observed.state(vm("running", PowerIntent.DELETED), null, "h1")).isEqualTo(VmState.DELETED);
    }
}
