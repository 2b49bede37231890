package io.polyvisor.api;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionsTest {
    /** A clock the test moves by hand. */
    static final class Hand extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final Hand clock = new Hand();
    final Sessions sessions = new Sessions(new Credentials("the-token", hash -> java.util.Optional.empty(), clock), clock, Duration.ofMinutes(30), Duration.ofHours(2));

    @Test
    void onlyTheAdminTokenOpensASessionAndItsIdIsRandom() {
        assertThat(sessions.signIn("the-tokenx")).isEmpty();
        assertThat(sessions.signIn("")).isEmpty();
        assertThat(sessions.signIn(null)).isEmpty();
        var ids = new HashSet<String>();
        for (int i = 0; i < 50; i++) ids.add(sessions.signIn("the-token").orElseThrow());
        assertThat(ids).hasSize(50).allSatisfy(id -> assertThat(id).hasSize(43).doesNotContain("the-token"));
    }

    @Test
    void aSessionEndsAfterItsIdleTimeUnlessUsed() {
        String id = sessions.signIn("the-token").orElseThrow();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.use(id)).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.use(id)).as("used 29 min ago").isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertThat(sessions.use(id)).as("idle for 30 min").isEmpty();
        assertThat(sessions.use(id)).isEmpty();
    }

    @Test
    void aSessionEndsAtItsLifetimeEvenWhenUsed() {
        String id = sessions.signIn("the-token").orElseThrow();
        Instant created = clock.now;
        for (int i = 0; i < 11; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(10));
            assertThat(sessions.use(id)).isPresent();
        }
        assertThat(sessions.use(id).orElseThrow().expires()).isEqualTo(created.plus(Duration.ofHours(2)));
        clock.now = created.plus(Duration.ofHours(2));
        assertThat(sessions.use(id)).isEmpty();
    }

    @Test
    void signingOutEndsOnlyThatSession() {
        String a = sessions.signIn("the-token").orElseThrow(), b = sessions.signIn("the-token").orElseThrow();
        sessions.signOut(a);
        sessions.signOut("no-such-session");
        sessions.signOut(null);
        assertThat(sessions.use(a)).isEmpty();
        assertThat(sessions.use(b)).isPresent();
        assertThat(sessions.use(null)).isEmpty();
        assertThat(sessions.use("")).isEmpty();
    }

    @Test
    void theOldestSessionGoesWhenTooManyAreOpen() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
            ids.add(sessions.signIn("the-token").orElseThrow());
            clock.now = clock.now.plusMillis(1);
        }
        String newest = sessions.signIn("the-token").orElseThrow();
        assertThat(sessions.use(ids.get(0))).isEmpty();
        assertThat(sessions.use(ids.get(1))).isPresent();
        assertThat(sessions.use(newest)).isPresent();
    }

    @Test
    void refusesAnIdleTimeLongerThanTheLifetime() {
        assertThatThrownBy(() -> new Sessions(new Credentials("t", hash -> java.util.Optional.empty(), clock), clock, Duration.ofHours(3), Duration.ofHours(2)))
                .hasMessage("need 0 < idle <= lifetime, got idle PT3H, lifetime PT2H");
    }
}
