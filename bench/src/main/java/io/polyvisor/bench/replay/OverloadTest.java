package io.polyvisor.bench.replay;

/**
 * CloudSim's host overload detectors: a static CPU threshold (THR); local regression (LR) over the host's last 10
 * utilisation samples, which falls back to THR 0.7 with less history; and the adaptive thresholds 1 - s x IQR (IQR)
 * and 1 - s x MAD (MAD) of the host's utilisation history, which fall back to THR 0.7 with fewer than 12 samples.
 */
sealed interface OverloadTest {
    boolean overloaded(SimHost h, SimVm extra);

    record StaticThreshold(double threshold) implements OverloadTest {
        @Override
        public boolean overloaded(SimHost h, SimVm extra) {
            double req = h.requestedMips() + (extra == null ? 0 : extra.requested());
            return req / h.totalMips > threshold;
        }
    }

    /**
     * LR with safety parameter {@code safety}. CloudSim's "loess" weights are all positive for 10 points,
     * so its weighted regression is ordinary least squares over x = 1..10 (oldest first); the prediction
     * looks one migration interval ahead: a + b x 11.
     */
    record LocalRegression(double safety) implements OverloadTest {
        private static final StaticThreshold FALLBACK = new StaticThreshold(0.7);

        @Override
        public boolean overloaded(SimHost h, SimVm extra) {
            double[] hist = new double[SimVm.HISTORY];
            int maxRam = Integer.MIN_VALUE;
            for (SimVm v : h.vms) {
                add(hist, v, h);
                maxRam = Math.max(maxRam, v.ram);
            }
            if (extra != null) {
                add(hist, extra, h);
                maxRam = Math.max(maxRam, extra.ram);
            }
            int length = SimVm.HISTORY;
            while (length > 0 && hist[length - 1] == 0) length--;
            if (Math.max(1, length) < 10) return FALLBACK.overloaded(h, extra);
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < 10; i++) {
                double x = i + 1, y = hist[9 - i];
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            double slope = (10 * sxy - sx * sy) / (10 * sxx - sx * sx), intercept = (sy - slope * sx) / 10;
            double intervals = Math.ceil(maxRam / Replay.MIGRATION_BYTES_PER_MB_SEC / Replay.INTERVAL);
            return (intercept + slope * (10 + intervals)) * safety >= 1;
        }

        private static void add(double[] hist, SimVm v, SimHost h) {
            for (int i = 0; i < v.historySize; i++) hist[i] += v.history[i] * v.mips / h.totalMips;
        }
    }

    /**
     * CloudSim 3.0.3's adaptive thresholds ({@code PowerVmAllocationPolicyMigrationInterQuartileRange} and
     * {@code ...MedianAbsoluteDeviation}): the host is overloaded when its requested MIPS (with {@code extra}, when
     * asked about a placement) exceed {@code 1 - safety x spread} of its capacity, where spread is the IQR or the MAD
     * of the host's utilisation history (the VMs' histories weighted by their MIPS, zero tail trimmed), computed
     * only from 12 samples on; THR 0.7 below that.
     */
    record AdaptiveThreshold(double safety, boolean iqr) implements OverloadTest {
        private static final StaticThreshold FALLBACK = new StaticThreshold(0.7);

        @Override
        public boolean overloaded(SimHost h, SimVm extra) {
            double[] hist = new double[SimVm.HISTORY];
            for (SimVm v : h.vms) add(hist, v, h);
            if (extra != null) add(hist, extra, h);
            int length = SimVm.HISTORY;
            while (length > 0 && hist[length - 1] == 0) length--;
            if (length < 12) return FALLBACK.overloaded(h, extra);
            double[] data = java.util.Arrays.copyOf(hist, length);
            double spread = iqr ? iqr(data) : mad(data);
            double req = h.requestedMips() + (extra == null ? 0 : extra.requested());
            return req / h.totalMips > 1 - safety * spread;
        }

        /** MathUtil.iqr: quartiles at positions round(0.25 (n + 1)) and round(0.75 (n + 1)), 1-based. */
        static double iqr(double[] data) {
            double[] d = data.clone();
            java.util.Arrays.sort(d);
            int q1 = (int) Math.round(0.25 * (d.length + 1)) - 1, q3 = (int) Math.round(0.75 * (d.length + 1)) - 1;
            return d[q3] - d[q1];
        }

        /** MathUtil.mad: the median of the absolute deviations from the median. */
        static double mad(double[] data) {
            double m = median(data);
            double[] dev = new double[data.length];
            for (int i = 0; i < data.length; i++) dev[i] = Math.abs(m - data[i]);
            return median(dev);
        }

        private static double median(double[] data) {
            double[] d = data.clone();
            java.util.Arrays.sort(d);
            int n = d.length;
            return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
        }

        private static void add(double[] hist, SimVm v, SimHost h) {
            for (int i = 0; i < v.historySize; i++) hist[i] += v.history[i] * v.mips / h.totalMips;
        }
    }
}
