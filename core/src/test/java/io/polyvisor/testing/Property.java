package io.polyvisor.testing;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A property test: a check that must hold for every case a {@link Gen} makes, run over many seeded random cases
 * inside one JUnit test method.
 *
 * <pre>{@code
 * @Test
 * void phiIsNeverNegative() {
 *     Property.forAll(Gen.ints(20, 2000)).tries(200).check(interval -> assertThat(phi(interval)).isNotNegative());
 * }
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 * <li>The base seed is the one fixed with {@link #seed} if any, else the system property {@value #SEED_PROPERTY}
 *     if set to a number; {@value #SEED_PROPERTY}{@code =random} draws a new random one on every run (exploring,
 *     {@code scripts/explore-properties}); unset, it is fixed per property, derived from the name of the test
 *     method that calls {@link #check} (so the suite, CI included, runs the same cases every time and a red build
 *     means a change broke something, not that a new seed was drawn). Try {@code i} draws its case from its own {@link Random},
 *     seeded from the base seed and {@code i}, at a size growing from 1 on the first try to {@link #maxSize}
 *     on the last. So the same base seed replays the same cases in the same order.</li>
 * <li>A case fails when the check throws an {@link AssertionError} or any {@link Exception}. The first failing try
 *     ends the run; an exception from the generator itself is a bug in the test and ends it too, naming the seed.</li>
 * <li>Shrinking then spends at most {@link #shrinkLimit} more runs of the check: first it replays the failing try's
 *     seed at smaller sizes, smallest first, skipping a case that prints the same as one already run; then it
 *     follows the case's {@link Shrinkable#shrinks()}, keeping each candidate that still fails, until none does.</li>
 * <li>It then throws an {@link AssertionError} whose message gives the base seed, the try, the sizes, the smallest
 *     failing case and the first one (their {@code toString}), the failure, and the exact
 *     {@code -Dpolyvisor.seed=...} that replays the run; its cause is the smallest case's failure.</li>
 * </ul>
 */
public final class Property<T> {
    public static final String SEED_PROPERTY = "polyvisor.seed";

    private final Gen<T> gen;
    private int tries = 100;
    private int maxSize = 100;
    private int shrinkLimit = 200;
    private Long seed;

    /** The check run on each case; it fails by throwing (an AssertJ assertion, say). */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value) throws Exception;
    }

    private Property(Gen<T> gen) {
        this.gen = Objects.requireNonNull(gen, "gen");
    }

    public static <T> Property<T> forAll(Gen<T> gen) {
        return new Property<>(gen);
    }

    /** How many cases to run (default 100). */
    public Property<T> tries(int tries) {
        if (tries < 1) throw new IllegalArgumentException("tries must be at least 1, got " + tries);
        this.tries = tries;
        return this;
    }

    /** The size of the last try (default 100); sizes grow linearly from 1 up to it. */
    public Property<T> maxSize(int maxSize) {
        if (maxSize < 1) throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        this.maxSize = maxSize;
        return this;
    }

    /** How many extra runs of the check shrinking may spend after a failure (default 200; 0 reports the first case). */
    public Property<T> shrinkLimit(int runs) {
        if (runs < 0) throw new IllegalArgumentException("shrinkLimit must be at least 0, got " + runs);
        this.shrinkLimit = runs;
        return this;
    }

    /** Fixes the base seed in code (the harness's own tests); it wins over {@value #SEED_PROPERTY}. */
    public Property<T> seed(long seed) {
        this.seed = seed;
        return this;
    }

    public void check(Check<? super T> property) {
        long base = seed != null ? seed : baseSeed(System.getProperty(SEED_PROPERTY), caller());
        SplittableRandom seeds = new SplittableRandom(base);
        for (int i = 0; i < tries; i++) {
            long trySeed = seeds.nextLong();
            int size = tries == 1 ? maxSize : 1 + (int) ((long) i * (maxSize - 1) / (tries - 1));
            Shrinkable<T> c = generate(trySeed, size, base, i);
            Throwable failure = run(property, c.value());
            if (failure != null) {
                Failed<T> first = new Failed<>(c, size, failure, 0);
                Failed<T> smallest = shrink(property, first, trySeed);
                throw report(base, i, first, smallest);
            }
        }
    }

    /**
     * The base seed from the text of {@value #SEED_PROPERTY}: a long; a new random seed for {@code random}; when unset
     * or blank, one fixed by {@code property} (the calling test's name), the same on every run and machine.
     */
    static long baseSeed(String text, String property) {
        if (text == null || text.isBlank()) return new SplittableRandom(property.hashCode()).nextLong();
        if (text.strip().equalsIgnoreCase("random")) return ThreadLocalRandom.current().nextLong();
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a whole number (a Java long) or 'random', got '" + text + "'");
        }
    }

    /** The test that runs this property: the first caller outside this class, as {@code Class#method}. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames.filter(f -> !f.getClassName().equals(Property.class.getName()))
                .findFirst().map(f -> f.getClassName() + "#" + f.getMethodName()).orElse("?"));
    }

    private record Failed<T>(Shrinkable<T> shrinkable, int size, Throwable failure, int steps) {}

    private Shrinkable<T> generate(long trySeed, int size, long base, int i) {
        try {
            return gen.generate(new Random(trySeed), size);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the generator failed on try " + (i + 1) + " (base seed " + base + ", size " + size
                    + "); reproduce with -D" + SEED_PROPERTY + "=" + base, e);
        }
    }

    private Failed<T> shrink(Check<? super T> property, Failed<T> first, long trySeed) {
        int budget = shrinkLimit;
        Failed<T> smallest = first;
        Set<String> seen = new HashSet<>();
        seen.add(String.valueOf(first.shrinkable().value()));
        for (int s = 0; s < first.size() && budget > 0; s = Math.max(s + 1, s * 3 / 2)) {
            Shrinkable<T> c;
            try {
                c = gen.generate(new Random(trySeed), s);
            } catch (RuntimeException e) {
                continue; // a generator that cannot work at this size simply offers no smaller case here
            }
            if (!seen.add(String.valueOf(c.value()))) continue;
            budget--;
            Throwable f = run(property, c.value());
            if (f != null) {
                smallest = new Failed<>(c, s, f, 1);
                break;
            }
        }
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            Iterator<Shrinkable<T>> candidates = smallest.shrinkable().shrinks().get().iterator();
            while (candidates.hasNext() && budget > 0) {
                Shrinkable<T> c = candidates.next();
                budget--;
                Throwable f = run(property, c.value());
                if (f != null) {
                    smallest = new Failed<>(c, smallest.size(), f, smallest.steps() + 1);
                    progress = true;
                    break;
                }
            }
        }
        return smallest;
    }

    private static <T> Throwable run(Check<? super T> property, T value) {
        try {
            property.check(value);
            return null;
        } catch (AssertionError | Exception e) {
            return e;
        }
    }

    private AssertionError report(long base, int i, Failed<T> first, Failed<T> smallest) {
        String smallestCase = String.valueOf(smallest.shrinkable().value());
        String firstCase = String.valueOf(first.shrinkable().value());
        var m = new StringBuilder()
                .append("property failed on try ").append(i + 1).append(" of ").append(tries)
                .append(" (base seed ").append(base).append(", size ").append(first.size()).append(")\n")
                .append("smallest failing case (size ").append(smallest.size()).append(", after ").append(smallest.steps())
                .append(" shrink steps): ").append(smallestCase).append('\n');
        if (!firstCase.equals(smallestCase)) m.append("first failing case: ").append(abbreviate(firstCase)).append('\n');
        m.append("failure: ").append(smallest.failure()).append('\n')
                .append("reproduce with -D").append(SEED_PROPERTY).append('=').append(base);
        return new AssertionError(m.toString(), smallest.failure());
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + (s.length() - 2000) + " more characters)";
    }
}
