package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTest {
    static final long S = 1_000_000_000L;

    @Test
    void aBurstGoesThroughThenTheRateHoldsAndRefusalsSayWhenToRetry() {
        var limit = new RateLimit(10, 5);
        var b = limit.full(0);
        for (int i = 0; i < 5; i++) {
            var t = limit.take(b, 0);
            assertThat(t).as("request %d of the burst", i).isInstanceOf(RateLimit.Taken.Allowed.class);
            b = t.bucket();
        }
        var refused = limit.take(b, 0);
        assertThat(refused).isEqualTo(new RateLimit.Taken.Refused(new RateLimit.Bucket(0, 0), 1));
        // 0.1 s later one token is back (10 per second), and only one
        var later = limit.take(refused.bucket(), S / 10);
        assertThat(later).isInstanceOf(RateLimit.Taken.Allowed.class);
        assertThat(limit.take(later.bucket(), S / 10)).isInstanceOf(RateLimit.Taken.Refused.class);
        // a long quiet spell refills to the burst, no more
        var rested = limit.take(later.bucket(), 100 * S);
        assertThat(rested.bucket().tokens()).isEqualTo(4.0);
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        var limit = new RateLimit(1, 1);
        var empty = limit.take(limit.full(0), 0).bucket();
        assertThat(limit.take(empty, S / 4)).isEqualTo(new RateLimit.Taken.Refused(new RateLimit.Bucket(0.25, S / 4), 1));
        assertThat(new RateLimit(2, 1).take(new RateLimit.Bucket(0, 0), 0)).isInstanceOf(RateLimit.Taken.Refused.class);
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new RateLimit(0, 5)).isInstanceOf(InvalidInput.class)
                .hasMessage("rate limit must be between 1 and 100000 per second, got 0.0");
        assertThatThrownBy(() -> new RateLimit(5, 0)).isInstanceOf(InvalidInput.class)
                .hasMessage("rate limit burst must be between 1 and 100000, got 0");
    }
}
