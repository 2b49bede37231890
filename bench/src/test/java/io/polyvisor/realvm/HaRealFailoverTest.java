package io.polyvisor.realvm;

import io.polyvisor.bench.FailoverScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * High availability on three real libvirt hosts (scripts/test-hosts) with tiny QEMU guests: protected VMs on
 * h1, then h1's daemon and QEMU processes are killed. The restart-protected VM answers HTTP again from another
 * host; the standby-protected VM's service endpoint answers from its standby instance; the host was fenced by
 * its fence agent before anything restarted; a new standby is built on the third host. Fails (never skips) when
 * libvirt or QEMU is missing.
 */
class HaRealFailoverTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void killingAHostRestartsItsProtectedVmsElsewhereAndMovesTheStandbyEndpoint() {
        var r = FailoverScenario.run(work);
        System.out.printf("real failover: detect %.2f s, standby endpoint %.2f s, restart %.2f s (boot %.2f s); %s%n",
                r.detectS(), r.standbyRolloverS(), r.restartS(), r.bootS(), r.fenceMethod());
        r.timeline().forEach(System.out::println);

        assertThat(r.dbHostAfter()).isIn("h2", "h3");
        assertThat(r.webHostAfter()).as("the standby instance is the primary now").isIn("h2", "h3");
        assertThat(r.standbyHostAfter()).as("new standby away from the dead host and the new primary").isIn("h2", "h3")
                .isNotEqualTo(r.webHostAfter());
        assertThat(r.standbyStateAfter()).isEqualTo("running");
        assertThat(r.fenceMethod()).isEqualTo("host h1 fenced by fence_polyvisor_test_host; its protected VMs restart elsewhere");

        // order of the steps, from the event log: declared, fenced, then restarted; the standby took over before the fence
        var types = new java.util.ArrayList<String>();
        r.events().forEach(e -> types.add(e.path("type").asText() + " " + e.path("subject").asText()));
        assertThat(types).containsSubsequence("host.unreachable h1", "host.fencing h1", "host.fenced h1", "vm.restarting db");
        assertThat(types).containsSubsequence("host.unreachable h1", "vm.failover web", "host.fenced h1");

        // Bounds looser than the documented targets (detection <= 2 s, rollover <= detection + 1 s, restart <=
        // detection + boot + 1 s; `polyvisor bench failover` reports met / NOT met against those): this test guards
        // against regressions on a loaded shared CI machine, it does not claim the targets. Quiet-machine figures
        // with their command are in docs/BENCHMARKS.md.
        assertThat(r.detectS()).isBetween(0.5, 4.0);
        assertThat(r.standbyRolloverS()).isLessThan(r.detectS() + 2.0);
        // the restarted guest boots at another moment than the baseline guest: on a loaded machine TCG boots vary by
        // 2x between the two (24.2 s against detection 1.9 + boot 9.1 + 10 in one run of .ci/run beside other builds), so the bound allows twice the boot
        assertThat(r.restartS()).isLessThan(r.detectS() + 2 * r.bootS() + 10.0);
    }
}
