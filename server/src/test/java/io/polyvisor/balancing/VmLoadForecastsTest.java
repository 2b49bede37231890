package io.polyvisor.balancing;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The server plans each VM at its forecast load, sampled once per balancer round. */
class VmLoadForecastsTest {
    private static final Vm WEB = vm("web");
    private static final Vm DB = vm("db");

    @Test
    void aDipIsPlannedAtTheMeanOfTheRoundsSeenAndPreviewsRecordNothing() {
        var f = new VmLoadForecasts();
        f.record(snapshot(4, 1));
        f.record(snapshot(4, 1));
        assertThat(f.peek(snapshot(1, 1)).get(WEB.id())).as("a preview sees the dip as the next round would").isCloseTo(3.0, within(1e-9));
        assertThat(f.peek(snapshot(1, 1)).get(WEB.id())).as("and did not record it").isCloseTo(3.0, within(1e-9));
        Map<UUID, Double> round = f.record(snapshot(1, 1));
        assertThat(round.get(WEB.id())).as("planned at the mean of 4, 4, 1").isCloseTo(3.0, within(1e-9));
        assertThat(round.get(DB.id())).isEqualTo(1.0);
        assertThat(f.record(snapshot(6, 1)).get(WEB.id())).as("a rise is planned at what it uses now").isEqualTo(6.0);
    }

    @Test
    void aVmGoneFromTheClusterIsForgottenAndOneNotMeasuredHasNoForecast() {
        var f = new VmLoadForecasts();
        f.record(snapshot(8, 1));
        f.record(new ClusterSnapshot(List.of(), List.of(DB), Map.of(DB.id(), new ClusterSnapshot.VmUsage(1, Sizes.GiB))));
        assertThat(f.record(snapshot(0, 1)).get(WEB.id())).as("web's earlier 8 was forgotten when it left").isZero();
        var unmeasured = new ClusterSnapshot(List.of(), List.of(WEB, DB), Map.of(DB.id(), new ClusterSnapshot.VmUsage(1, Sizes.GiB)));
        assertThat(f.peek(unmeasured)).containsOnlyKeys(DB.id());
    }

    private static ClusterSnapshot snapshot(double web, double db) {
        return new ClusterSnapshot(List.of(), List.of(WEB, DB), Map.of(
                WEB.id(), new ClusterSnapshot.VmUsage(web, Sizes.GiB), DB.id(), new ClusterSnapshot.VmUsage(db, Sizes.GiB)));
    }

    private static Vm vm(String name) {
        return new Vm(UUID.nameUUIDFromBytes(name.getBytes()), name, VmSpec.of(2, Sizes.GiB), Map.of(), Protection.NONE, null,
                PowerIntent.RUNNING, VmState.RUNNING, "h1");
    }
}
