package io.polyvisor.bench;

import io.polyvisor.cli.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor bench autoscale --trace}: one object per policy with the fields, the setup printed, the targets. */
class AutoscaleBenchCommandTest {
    @Test
    void printsEveryPolicyWithItsFiguresAndTheSameStartTimes(@TempDir Path dir) throws Exception {
        var b = new StringBuilder("t_s,demand_vcpus\n");
        for (int i = 0; i < 240; i++) b.append(i * 10).append(',').append(i < 60 ? 8 : 30).append('\n');
        Files.writeString(dir.resolve("step.csv"), b);
        CliRun r = CliRun.of("bench", "autoscale", "--trace", dir.toString(), "--unseen", "2", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("setup").get("cold_start_s").asDouble()).isEqualTo(6.54);
        assertThat(doc.get("setup").get("warm_start_s").asDouble()).isEqualTo(3.0);
        assertThat(doc.get("setup").get("metric_delay_s").asInt()).isEqualTo(5);
        assertThat(doc.get("results").findValuesAsText("policy")).containsExactly("polyvisor", "hpa", "aws-target-tracking", "oneflow");
        for (JsonNode p : doc.get("results")) {
            assertThat(p.fieldNames()).toIterable().contains("violation_s", "vm_hours", "scaling_actions", "flaps", "per_scenario");
            assertThat(p.get("per_scenario").get(0).get("scenario").asText()).isEqualTo("step");
            assertThat(p.get("violation_s").asLong()).as(p.toString()).isPositive();
        }
        assertThat(doc.get("targets").fieldNames()).toIterable().contains("best_reference_policy", "violation_vs_best", "vm_hours_vs_best", "met");
        assertThat(doc.get("unseen").get("results")).hasSize(4);
        CliRun table = CliRun.of("bench", "autoscale", "--trace", dir.resolve("step.csv").toString());
        assertThat(table.out()).contains("POLICY", "VIOLATION_S", "cold start 6.54 s", "polyvisor vs ");
    }

    @Test
    void refusesARunWithNothingToReplay() {
        CliRun r = CliRun.of("bench", "autoscale");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("give --trace DIR|FILE, --unseen N, --real, or --trace with --unseen");
    }
}
