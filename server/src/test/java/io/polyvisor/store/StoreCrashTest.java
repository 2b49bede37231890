package io.polyvisor.store;

import io.polyvisor.model.Event;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded store survives the server process being killed (SIGKILL, no shutdown hook runs): every
 * transaction the writer saw commit is there after reopening, and no transaction is half there.
 */
class StoreCrashTest {
    @TempDir
    Path dataDir;

    @Test
    void commitsSurviveKillMinusNineAndNothingIsHalfApplied() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int lastCommitted = 0;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastCommitted < 150 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) lastCommitted = Integer.parseInt(line.substring(10));
            }
            child.destroyForcibly(); // SIGKILL while the child keeps writing
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lastCommitted).as("the child wrote before it was killed").isEqualTo(150);

        try (Store store = Stores.embedded(dataDir)) {
            List<Vm> vms = store.vms();
            var names = new HashSet<String>();
            for (Vm v : vms) names.add(v.name());
            for (int n = 1; n <= lastCommitted; n++) assertThat(names).as("committed vm%d", n).contains("vm" + n);

            List<Task> tasks = store.tasks(null, null, 100_000);
            List<Event> events = store.events(0, 100_000);
            assertThat(tasks).hasSameSizeAs(vms);
            assertThat(events).hasSameSizeAs(vms);
            for (Vm v : vms) {
                assertThat(tasks).filteredOn(t -> v.id().equals(t.vmId())).hasSize(1);
                assertThat(events).filteredOn(e -> v.name().equals(e.subject())).hasSize(1);
            }
            assertThat(StoreFixtures.append(store, "after.restart", null, null).seq()).isEqualTo(events.getLast().seq() + 1);
        }
    }
}
