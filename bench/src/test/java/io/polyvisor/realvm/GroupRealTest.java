package io.polyvisor.realvm;

import io.polyvisor.bench.autoscale.RealGroupScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An elastic group of tiny real QEMU guests on two libvirt hosts (scripts/test-hosts) behind its real HAProxy, under
 * load from hey through the endpoint (loopback, bounded): it grows to max, the warm member first, and shrinks with drain
 * when the load falls, refilling its warm pool; hey sees no failed request. Fails (never skips) when libvirt, QEMU or hey
 * is missing.
 */
class GroupRealTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void growsUnderHeyWarmMemberFirstAndShrinksWithDrainWithoutAFailedRequest() {
        var r = RealGroupScenario.run(work);
        System.out.printf("real group: warm reaction %.2f s, cold reaction %.2f s, guest boot %.2f s, %d requests, %d failed %s%n",
                r.warmReactionS(), r.coldReactionS(), r.guestBootS(), r.requests(), r.failedRequests(), r.heyErrors());
        assertThat(r.grewTo()).as("members in rotation under load").isEqualTo(3);
        assertThat(r.warmReactionS()).as("the resumed warm member answers before the cold one").isLessThan(r.coldReactionS());
        assertThat(r.shrankTo()).isEqualTo(1);
        assertThat(r.warmAfter()).as("the pool refilled after the scale-in").isEqualTo(1);
        assertThat(r.requests()).isGreaterThan(300);
        assertThat(r.failedRequests()).as("hey's failed requests: " + r.heyErrors()).isZero();
    }
}
