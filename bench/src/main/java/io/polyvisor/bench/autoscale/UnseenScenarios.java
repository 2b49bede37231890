package io.polyvisor.bench.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded scenarios the policy was never developed on, of the shared scenarios' format and size range (3 to 60 vCPUs,
 * 2 h, a row every 10 s), drawn from five shapes with random parameters: steps up and down at random times, square
 * waves of a random period (4 to 30 min), sines of a random period and noise, flash crowds of random height and length,
 * and a bounded random walk. The same seed gives the same scenarios.
 */
public final class UnseenScenarios {
    static final double MIN_VCPUS = 3, MAX_VCPUS = 60;
    private static final int ROWS = 7200 / Scenario.ROW_S;

    private UnseenScenarios() {}

    public static List<Scenario> generate(int count, long seed) {
        var rnd = new Random(seed);
        var out = new ArrayList<Scenario>();
        for (int i = 0; i < count; i++) {
            int shape = i % 5;
            double[] d = switch (shape) {
                case 0 -> steps(rnd);
                case 1 -> square(rnd);
                case 2 -> sine(rnd);
                case 3 -> flash(rnd);
                default -> walk(rnd);
            };
            for (int r = 0; r < d.length; r++) d[r] = Math.max(MIN_VCPUS, Math.min(MAX_VCPUS, d[r]));
            String name = "unseen-" + seed + "-" + i + "-" + new String[] {"steps", "square", "sine", "flash", "walk"}[shape];
            out.add(new Scenario(name, d));
        }
        return out;
    }

    private static double level(Random r) {
        return MIN_VCPUS + r.nextDouble() * (MAX_VCPUS - MIN_VCPUS);
    }

    private static double[] steps(Random r) {
        double[] d = new double[ROWS];
        double v = level(r);
        for (int i = 0; i < ROWS; i++) {
            if (r.nextDouble() < 1.0 / 60) v = level(r); // a change every 10 min on average
            d[i] = v + r.nextGaussian() * 0.5;
        }
        return d;
    }

    private static double[] square(Random r) {
        double lo = MIN_VCPUS + r.nextDouble() * 15, hi = lo + 8 + r.nextDouble() * (MAX_VCPUS - lo - 8);
        int half = (120 + r.nextInt(780)) / Scenario.ROW_S; // half period 2 to 15 min
        double[] d = new double[ROWS];
        for (int i = 0; i < ROWS; i++) d[i] = ((i / half) % 2 == 0 ? lo : hi) + r.nextGaussian() * 0.5;
        return d;
    }

    private static double[] sine(Random r) {
        double mid = 12 + r.nextDouble() * 30, amp = 3 + r.nextDouble() * Math.min(mid - MIN_VCPUS, MAX_VCPUS - mid);
        double period = 1200 + r.nextDouble() * 4800, phase = r.nextDouble() * 2 * Math.PI, sd = r.nextDouble() * 2.5;
        double[] d = new double[ROWS];
        for (int i = 0; i < ROWS; i++) d[i] = mid + amp * Math.sin(2 * Math.PI * i * Scenario.ROW_S / period + phase) + r.nextGaussian() * sd;
        return d;
    }

    private static double[] flash(Random r) {
        double base = MIN_VCPUS + r.nextDouble() * 20;
        double[] d = new double[ROWS];
        for (int i = 0; i < ROWS; i++) d[i] = base + r.nextGaussian();
        int crowds = 1 + r.nextInt(3);
        for (int c = 0; c < crowds; c++) {
            int at = r.nextInt(ROWS - 60), len = 3 + r.nextInt(30); // 30 s to 5 min
            double height = 10 + r.nextDouble() * (MAX_VCPUS - base - 10);
            for (int i = at; i < Math.min(ROWS, at + len); i++) d[i] += height;
        }
        return d;
    }

    private static double[] walk(Random r) {
        double[] d = new double[ROWS];
        double v = level(r);
        for (int i = 0; i < ROWS; i++) {
            v = Math.max(MIN_VCPUS, Math.min(MAX_VCPUS, v + r.nextGaussian() * 1.2));
            d[i] = v;
        }
        return d;
    }
}
