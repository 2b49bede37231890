package io.polyvisor.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VmStateTest {
    /** Every kind of state: few enough that the state properties below check them all rather than a random sample. */
    static final List<VmState> ALL = List.of(VmState.PENDING, VmState.STOPPED, VmState.RUNNING, VmState.PAUSED,
            new VmState.Migrating("h2"), new VmState.Failed("crashed"), new VmState.Unknown("host unreachable"), VmState.DELETED);

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "pending, running, true", "pending, stopped, true", "pending, paused, false", "pending, migrating, false",
            "stopped, running, true", "stopped, deleted, true", "stopped, paused, false",
            "running, paused, true", "running, migrating, true", "running, deleted, false", "running, pending, false",
            "paused, running, true", "paused, deleted, false",
            "migrating, running, true", "migrating, deleted, false",
            "failed, pending, true", "failed, running, true", "failed, deleted, true", "failed, paused, false",
            "unknown, running, true", "unknown, failed, true", "unknown, deleted, false",
            "deleted, running, false", "deleted, pending, false", "deleted, stopped, false"})
    void transitionTable(String from, String to, boolean legal) {
        VmState a = VmState.parse(from, "x"), b = VmState.parse(to, "x");
        assertThat(a.canBecome(b)).isEqualTo(legal);
        if (legal) {
            assertThat(a.to(b)).isEqualTo(b);
        } else {
            assertThatThrownBy(() -> a.to(b)).isInstanceOf(VmState.IllegalTransition.class)
                    .hasMessage("a VM cannot go from " + from + " to " + to);
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void repeatingAnObservationIsAlwaysLegalExceptLeavingDeleted(VmState s) {
        assertThat(s.canBecome(s)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void deletedIsTerminal(VmState next) {
        assertThat(VmState.DELETED.canBecome(next)).isEqualTo(next instanceof VmState.Deleted);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void labelAndDetailRoundTrip(VmState s) {
        assertThat(VmState.parse(s.label(), s.detail())).isEqualTo(s);
    }

    @Test
    void vmEnforcesTransitions() {
        var vm = new Vm(java.util.UUID.randomUUID(), "web1", VmSpec.of(1, 256 * Sizes.MiB), null, null, null, null, null, null);
        assertThat(vm.state()).isEqualTo(VmState.PENDING);
        var running = vm.withState(VmState.RUNNING);
        assertThat(running.state()).isEqualTo(VmState.RUNNING);
        assertThatThrownBy(() -> running.withState(VmState.DELETED)).isInstanceOf(VmState.IllegalTransition.class);
    }
}
