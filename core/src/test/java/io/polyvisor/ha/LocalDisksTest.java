package io.polyvisor.ha;

import io.polyvisor.model.Disk;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDisksTest {
    static final VmSpec DISKS = VmSpec.of(1, Sizes.GiB).withDisks(List.of(Disk.of("db-root"), Disk.of("data1")));
    static final VmSpec SHARED = VmSpec.of(1, Sizes.GiB).withDisks(List.of(Disk.of("db-root", "nfs1"), Disk.of("data1", "nfs2")));
    static final VmSpec MIXED = VmSpec.of(1, Sizes.GiB).withDisks(List.of(Disk.of("db-root", "nfs1"), Disk.of("data1")));

    static Vm vm(Protection p, VmSpec spec, VmState state) {
        return new Vm(UUID.nameUUIDFromBytes("db".getBytes()), "db", spec, Map.of(), p, null, PowerIntent.RUNNING, state, "h1");
    }

    /** case, VM, expected reason (null: nothing to say). */
    static Stream<Arguments> cases() {
        String reason = "its disks (db-root, data1) are volumes in host h1's local pool: HA cannot restart it on another host";
        return Stream.of(
                Arguments.of("restart-protected with disks", vm(Protection.RESTART, DISKS, VmState.RUNNING), reason),
                Arguments.of("standby-protected with disks", vm(Protection.STANDBY, DISKS, VmState.RUNNING), reason),
                Arguments.of("stopped, still not restartable elsewhere", vm(Protection.RESTART, DISKS, VmState.STOPPED), reason),
                Arguments.of("unprotected with disks: HA does nothing anyway", vm(Protection.NONE, DISKS, VmState.RUNNING), null),
                Arguments.of("protected without disks", vm(Protection.RESTART, VmSpec.of(1, Sizes.GiB), VmState.RUNNING), null),
                Arguments.of("deleted", vm(Protection.RESTART, DISKS, VmState.DELETED), null),
                Arguments.of("every disk in a shared pool: restartable", vm(Protection.RESTART, SHARED, VmState.RUNNING), null),
                Arguments.of("one disk local: only that one is named", vm(Protection.RESTART, MIXED, VmState.RUNNING),
                        "its disks (data1) are volumes in host h1's local pool: HA cannot restart it on another host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysWhyAProtectedVmOnLocalDisksCannotBeRestartedElsewhere(String name, Vm vm, String expected) {
        assertThat(LocalDisks.notRestartable(vm).orElse(null)).isEqualTo(expected);
        if (vm.protection() != Protection.NONE && !(vm.state() instanceof VmState.Deleted)) {
            assertThat(LocalDisks.restartable(vm)).as("admission control reserves for it exactly when ha status has nothing to say")
                    .isEqualTo(expected == null);
        }
    }
}
