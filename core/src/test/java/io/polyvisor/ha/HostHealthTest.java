package io.polyvisor.ha;

import org.junit.jupiter.api.Test;

import static io.polyvisor.ha.Suspicion.HEALTHY;
import static io.polyvisor.ha.Suspicion.SUSPECT;
import static io.polyvisor.ha.Suspicion.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

class HostHealthTest {
    @Test
    void followsTheDetectorUntilFencingStarts() {
        HostHealth h = new HostHealth.Healthy(0);
        h = h.observe(SUSPECT, 10);
        assertThat(h).isEqualTo(new HostHealth.Suspect(10));
        assertThat(h.observe(SUSPECT, 20)).isSameAs(h);
        h = h.observe(UNREACHABLE, 30);
        assertThat(h).isEqualTo(new HostHealth.Unreachable(30));
        assertThat(h.schedulable()).isFalse();
        assertThat(h.fenced()).isFalse();
        assertThat(h.observe(HEALTHY, 40)).isEqualTo(new HostHealth.Healthy(40)); // a healed partition before fencing
    }

    @Test
    void aFenceInProgressIsNeverInterruptedByHeartbeats() {
        HostHealth f = new HostHealth.Fencing(5);
        assertThat(f.observe(HEALTHY, 6)).isSameAs(f);
    }

    @Test
    void onlyASuccessfulFenceMakesAHostDead() {
        assertThat(HostHealth.afterFence(new FenceOutcome.Fenced("driver"), 7)).isEqualTo(new HostHealth.Dead(7, "driver"));
        HostHealth failed = HostHealth.afterFence(new FenceOutcome.Failed("fence_ipmilan: exit 1"), 7);
        assertThat(failed.fenced()).isFalse();
        assertThat(failed.observe(UNREACHABLE, 8)).isSameAs(failed);
    }

    @Test
    void deadAndFenceFailedHostsRejoinWhenTheyAnswerAgain() {
        assertThat(new HostHealth.Dead(1, "driver").observe(HEALTHY, 9)).isEqualTo(new HostHealth.Rejoining(9));
        assertThat(new HostHealth.FenceFailed(1, "x").observe(HEALTHY, 9)).isEqualTo(new HostHealth.Rejoining(9));
        assertThat(new HostHealth.Dead(1, "driver").observe(SUSPECT, 9)).isEqualTo(new HostHealth.Dead(1, "driver"));
        assertThat(new HostHealth.Rejoining(9).schedulable()).isFalse();
    }

    @Test
    void labelsAreKebabCase() {
        assertThat(new HostHealth.FenceFailed(0, "x").label()).isEqualTo("fence-failed");
        assertThat(new HostHealth.Healthy(0).label()).isEqualTo("healthy");
    }
}
