package io.polyvisor.coord;

import io.polyvisor.coord.CoordModel.Acquire;
import io.polyvisor.coord.CoordModel.Busy;
import io.polyvisor.coord.CoordModel.Absent;
import io.polyvisor.coord.CoordModel.Cas;
import io.polyvisor.coord.CoordModel.Delete;
import io.polyvisor.coord.CoordModel.CasRefused;
import io.polyvisor.coord.CoordModel.Done;
import io.polyvisor.coord.CoordModel.FencedPut;
import io.polyvisor.coord.CoordModel.Found;
import io.polyvisor.coord.CoordModel.Granted;
import io.polyvisor.coord.CoordModel.Read;
import io.polyvisor.coord.CoordModel.Refused;
import io.polyvisor.coord.CoordModel.Release;
import io.polyvisor.coord.CoordModel.Released;
import io.polyvisor.coord.CoordModel.Revoke;
import io.polyvisor.coord.CoordModel.Written;
import io.polyvisor.linearizability.Checker;
import io.polyvisor.linearizability.Operation;
import io.polyvisor.linearizability.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The coordination model with the checker: histories the service must never produce are rejected, good ones pass. */
class CoordModelTest {
    final List<Operation<CoordModel.In, CoordModel.Out>> h = new ArrayList<>();
    long t;

    /** An operation that ran alone, after everything recorded so far. */
    CoordModelTest seq(CoordModel.In in, CoordModel.Out out) {
        h.add(new Operation<>(0, in, t + 1, out, t + 2));
        t += 3;
        return this;
    }

    Verdict verdict() {
        return Checker.check(new CoordModel(), h, Duration.ofSeconds(10));
    }

    @Test
    void aLeaseChangesHandsThroughARevocationWithTheNextToken() {
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Acquire("l", "b"), new Busy("a", 1)).seq(new FencedPut("l", 1, "x"), new Written(5));
        h.add(new Operation<>(-1, new Revoke("l", "a", 1), t, new Done(), Operation.NEVER));
        seq(new Acquire("l", "b"), new Granted(2)).seq(new FencedPut("l", 1, "y"), new Refused()).seq(new Release("l", "b"), new Released(2));
        assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
    }

    @Test
    void twoHoldersAtOnceAreCaught() {
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Acquire("l", "b"), new Granted(2));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aRevocationRecordedOnlyAfterTheNewHolderAnsweredCannotExplainIt() {
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Acquire("l", "b"), new Granted(2));
        h.add(new Operation<>(-1, new Revoke("l", "a", 1), t + 10, new Done(), Operation.NEVER));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aStaleFencedWriteAcceptedIsCaught() {
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Release("l", "a"), new Released(1)).seq(new Acquire("l", "b"), new Granted(2))
                .seq(new FencedPut("l", 1, "old leader"), new Written(9));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aTokenThatSkipsOrRepeatsIsCaught() {
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Release("l", "a"), new Released(1)).seq(new Acquire("l", "a"), new Granted(1));
        assertThat(verdict()).as("reused").isInstanceOf(Verdict.NotLinearizable.class);
        h.clear();
        seq(new Acquire("l", "a"), new Granted(1)).seq(new Release("l", "a"), new Released(1)).seq(new Acquire("l", "b"), new Granted(3));
        assertThat(verdict()).as("skipped").isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aLostCompareAndSetUpdateIsCaught() {
        seq(new Cas("k", 0, "a"), new Written(1));
        // two concurrent CAS from revision 1, both accepted
        h.add(new Operation<>(1, new Cas("k", 1, "b"), t + 1, new Written(2), t + 5));
        h.add(new Operation<>(2, new Cas("k", 1, "c"), t + 2, new Written(3), t + 6));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void readsAndRefusalsMustMatchTheKeysRevision() {
        seq(new Cas("k", 0, "a"), new Written(4)).seq(new Cas("k", 0, "b"), new CasRefused(4)).seq(new Read("k"), new Found("a", 4))
                .seq(new Cas("k", 4, "c"), new Written(7)).seq(new Read("k"), new Found("c", 7));
        assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
        seq(new Read("k"), new Found("a", 4)); // overwritten before this read began
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
        h.removeLast();
        seq(new Cas("k", 7, "d"), new Written(6)); // a revision that goes back
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aDeletedKeyReadsAbsentAndIsMadeAgainOnlyFromZeroAtALargerRevision() {
        seq(new Cas("k", 0, "a"), new Written(1)).seq(new Delete("k", 1), new Written(2)).seq(new Read("k"), new Absent())
                .seq(new Delete("k", 0), new Absent()).seq(new Delete("k", 1), new CasRefused(0))
                .seq(new Cas("k", 1, "b"), new CasRefused(0)).seq(new Cas("k", 0, "c"), new Written(3)).seq(new Read("k"), new Found("c", 3));
        assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
    }

    @Test
    void aReadOfADeletedValueAfterTheDeleteAnsweredIsCaught() {
        seq(new Cas("k", 0, "a"), new Written(1)).seq(new Delete("k", 1), new Written(2)).seq(new Read("k"), new Found("a", 1));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void twoDeletesFromTheSameRevisionBothAcceptedAreCaught() {
        seq(new Cas("k", 0, "a"), new Written(1)).seq(new Delete("k", 1), new Written(2)).seq(new Delete("k", 1), new Written(3));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aRecreatedKeyWhoseRevisionWentBackIsCaught() {
        seq(new Cas("k", 0, "a"), new Written(5)).seq(new Delete("k", 5), new Written(6)).seq(new Cas("k", 0, "b"), new Written(4));
        assertThat(verdict()).isInstanceOf(Verdict.NotLinearizable.class);
    }
}
