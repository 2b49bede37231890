package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PairProtectionTest {
    static final Vm WEB = new Vm(UUID.nameUUIDFromBytes("web2".getBytes()), "web2", VmSpec.of(1, Sizes.GiB), Map.of(), Protection.STANDBY,
            null, PowerIntent.RUNNING, VmState.RUNNING, "h1");
    static final Vm STANDBY = StandbyRollover.newStandby(WEB, UUID.nameUUIDFromBytes("sb".getBytes())).withHost("h2").withState(VmState.STOPPED)
            .withState(VmState.RUNNING);
    static final String ONE_HOST = "no host can run web2-standby: host-state excluded 1 host, standby-apart excluded 1 host";

    /** case, primary, standby (null: none), health, HA's unplaced reason, expected reason (null: protected). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("standby runs on another healthy host", WEB, STANDBY, Map.of(), null, null),
                Arguments.of("no standby yet", WEB, null, Map.of(), null, "its standby is not built yet"),
                Arguments.of("no host for the standby", WEB, null, Map.of(), ONE_HOST, "no host for its standby: " + ONE_HOST),
                Arguments.of("pair on one host", WEB, STANDBY.withHost("h1"), Map.of(), null, "its standby web2-standby runs on the same host, h1"),
                Arguments.of("standby down, only one host left", WEB, STANDBY.withState(new VmState.Unknown("host h2 is unreachable")),
                        Map.of("h2", new HostHealth.Dead(0, "driver")), ONE_HOST,
                        "its standby web2-standby is unknown on host h2 and no host can take it: " + ONE_HOST),
                Arguments.of("standby's host unreachable", WEB, STANDBY, Map.of("h2", new HostHealth.Unreachable(0)), null,
                        "the host of its standby web2-standby, h2, is unreachable"),
                Arguments.of("a stopped VM keeps no standby", WEB.withIntent(PowerIntent.STOPPED), null, Map.of(), null, null),
                Arguments.of("restart protection has no standby", new Vm(WEB.id(), "web2", WEB.spec(), Map.of(), Protection.RESTART, null,
                        PowerIntent.RUNNING, VmState.RUNNING, "h1"), null, Map.of(), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whyAVmIsUnprotected(String name, Vm primary, Vm standby, Map<String, HostHealth> health, String unplaced, String expected) {
        assertThat(PairProtection.unprotected(primary, standby, health, unplaced).orElse(null)).isEqualTo(expected);
    }
}
