package io.polyvisor.balance;

import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadForecastTest {
    @Test
    void aDipIsPlannedAtTheRecentMeanAndARiseAtTheLastSample() {
        var h = new LoadForecast.History();
        h.add(4);
        h.add(4);
        assertThat(h.add(1)).isCloseTo(3.0, within(1e-12)); // dropped: mean of 4, 4, 1
        assertThat(h.add(9)).isEqualTo(9); // rose: the sample itself
    }

    @Test
    void onlyTheLastSixSamplesCount() {
        var h = new LoadForecast.History();
        h.add(100);
        for (int i = 0; i < 5; i++) h.add(0);
        assertThat(h.add(0)).isZero(); // the 100 is seven samples back
    }

    @Test
    void aForecastNeedsASample() {
        assertThatThrownBy(() -> LoadForecast.next(new double[3], 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Against a list-based oracle: max(last, mean of the last min(n, 6) samples), over random histories of 1-40 samples. */
    @Test
    void historyMatchesTheDefinition() {
        int[] dips = {0};
        Property.forAll(Gen.zip(Gen.seeds(), Gen.ints(1, 40), (s, n) -> new long[] {s, n})).tries(300).check(c -> {
            Random r = new Random(c[0]);
            var h = new LoadForecast.History();
            List<Double> seen = new ArrayList<>();
            for (int i = 0; i < c[1]; i++) {
                double v = r.nextInt(4) == 0 ? 0 : r.nextDouble() * 8;
                seen.add(v);
                double peeked = h.peek(v);
                assertThat(h.peek(v)).as("peek records nothing").isEqualTo(peeked);
                double got = h.add(v);
                assertThat(got).as("peek forecasts what add then gives").isEqualTo(peeked);
                List<Double> window = seen.subList(Math.max(0, seen.size() - 6), seen.size());
                double mean = window.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                assertThat(got).isCloseTo(Math.max(v, mean), within(1e-9));
                if (mean > v) dips[0]++;
            }
        });
        System.out.println("load forecast: " + dips[0] + " samples below their window's mean (planned at the mean)");
        assertThat(dips[0]).isPositive();
    }
}
