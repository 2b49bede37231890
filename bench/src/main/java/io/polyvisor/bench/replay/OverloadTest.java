package io.polyvisor.bench.replay;

/**
 * CloudSim's host overload detectors: a static CPU threshold (THR), and local regression (LR) over the
 * host's last 10 utilisation samples, which falls back to THR 0.7 with less history.
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
}
