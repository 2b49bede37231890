package io.polyvisor.bench.replay;

/**
 * SPECpower table of a host: watts at 0, 10, ..., 100 % CPU, linear in between, computed the way
 * CloudSim's {@code PowerModelSpecPower} does (so results match to the last digit where it matters).
 */
record PowerCurve(String model, double[] watts) {
    static final PowerCurve G4 = new PowerCurve("HP ProLiant ML110 G4 (Xeon 3040)",
            new double[]{86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117});
    static final PowerCurve G5 = new PowerCurve("HP ProLiant ML110 G5 (Xeon 3075)",
            new double[]{93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135});

    double at(double u) {
        if (u < 0) u = 0;
        if (u > 1) u = 1;
        if (u % 0.1 == 0) return watts[(int) (u * 10)];
        int lo = (int) Math.floor(u * 10), hi = (int) Math.ceil(u * 10);
        double delta = (watts[hi] - watts[lo]) / 10;
        return watts[lo] + delta * (u - (double) lo / 10) * 100;
    }

    /** Energy over {@code seconds} going linearly from {@code from} to {@code to}; a host idle at the start is asleep (0 J). */
    double energy(double from, double to, double seconds) {
        if (from == 0) return 0;
        double a = at(from), b = at(to);
        return (a + (b - a) / 2) * seconds;
    }
}
