package io.polyvisor.cluster;

import io.polyvisor.feature.Controller;
import io.polyvisor.store.WriteFence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leader terms: each term starts fresh controllers under its own fence (seen by the threads they start), a lost
 * lease halts them, and the next term (a server leading again without a restart) starts new ones.
 */
class LeaderOnlyTest {
    /** A controller that records its start, its halt, and the fence its own thread runs under. */
    private static final class Recorder implements Controller {
        final List<String> log;
        final int n;
        volatile WriteFence threadFence;

        Recorder(List<String> log, int n) {
            this.log = log;
            this.n = n;
        }

        @Override
        public void start() {
            log.add("start " + n);
            Thread t = Thread.ofPlatform().start(() -> threadFence = WriteFence.current());
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            log.add("close " + n);
        }

        @Override
        public void halt() {
            log.add("halt " + n);
        }
    }

    @Test
    void aServerThatLostTheLeadLeadsAgainInANewTermWithFreshControllers() {
        List<String> log = new CopyOnWriteArrayList<>();
        List<Recorder> made = new ArrayList<>();
        var leader = new LeaderOnly(() -> {
            var r = new Recorder(log, made.size() + 1);
            made.add(r);
            return List.of(r);
        }, null);
        var term1 = WriteFence.of("s1", "leader", 1);
        var term2 = WriteFence.of("s1", "leader", 3);
        leader.lead(term1);
        leader.lead(term1); // a second call during a term starts nothing
        leader.abdicate();
        leader.abdicate();
        leader.lead(term2);
        leader.close();
        leader.lead(WriteFence.of("s1", "leader", 4)); // closed: never again
        assertThat(log).containsExactly("start 1", "halt 1", "start 2", "close 2");
        assertThat(made.get(0).threadFence).isEqualTo(term1);
        assertThat(made.get(1).threadFence).isEqualTo(term2);
        assertThat(WriteFence.current()).as("the caller's thread keeps no fence").isNull();
    }
}
