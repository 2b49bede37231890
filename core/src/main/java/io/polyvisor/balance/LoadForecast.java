package io.polyvisor.balance;

/**
 * A VM's CPU demand over the next interval, forecast from its own past samples only (never the future): the larger of
 * the last sample and the mean of the last {@link #WINDOW} samples. A VM whose load just dropped is still planned at
 * its recent mean, so a host is not packed on a dip and relieved again at the next sample; one whose load rises is
 * planned at what it uses now. Pure; the caller keeps the samples (e.g. {@link History}).
 */
public final class LoadForecast {
    /** Samples a forecast looks back on (with a 300 s interval: the last half hour). */
    public static final int WINDOW = 6;

    private LoadForecast() {}

    /**
     * @param samples the last samples, oldest first (at most {@link #WINDOW} are read: the newest ones); not empty
     * @return the forecast, in the samples' unit
     */
    public static double next(double[] samples, int count) {
        if (count <= 0 || count > samples.length) throw new IllegalArgumentException("a forecast needs 1.." + samples.length + " samples, got " + count);
        int from = Math.max(0, count - WINDOW);
        double sum = 0;
        for (int i = from; i < count; i++) sum += samples[i];
        return Math.max(samples[count - 1], sum / (count - from));
    }

    /** One VM's last {@link #WINDOW} samples, oldest first. Mutable; not thread-safe. */
    public static final class History {
        private final double[] samples = new double[WINDOW];
        private int count;

        /** Records a sample and returns the forecast of the next one. */
        public double add(double sample) {
            if (count == WINDOW) System.arraycopy(samples, 1, samples, 0, --count);
            samples[count++] = sample;
            return next(samples, count);
        }

        /** The forecast {@link #add} would return for {@code sample}, without recording it. */
        public double peek(double sample) {
            double[] window = new double[WINDOW];
            int n = Math.min(count, WINDOW - 1);
            System.arraycopy(samples, count - n, window, 0, n);
            window[n] = sample;
            return next(window, n + 1);
        }
    }
}
