package io.polyvisor.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A generator of random cases for {@link Property}, with shrinking built in.
 *
 * <p>Contract: {@link #generate} draws only from {@code rnd}, so the same seed and size give the same case (that
 * is what makes a failure reproducible from its seed). {@code size} (0 or more) caps how many elements a
 * collection gets, so early tries are small; it never narrows the range of a number. The factories below keep
 * their stated ranges whatever the size, and shrink towards the simplest value in range (0 or the bound nearest
 * it, the first element, {@code false}, fewer elements). A generator built with {@link #of} does not shrink.
 */
@FunctionalInterface
public interface Gen<T> {

    Shrinkable<T> generate(Random rnd, int size);

    /** A case built by hand from {@code rnd} (a random cluster, say); it does not shrink. */
    static <T> Gen<T> of(Function<Random, T> draw) {
        return (rnd, size) -> Shrinkable.of(draw.apply(rnd));
    }

    static <T> Gen<T> constant(T value) {
        return (rnd, size) -> Shrinkable.of(value);
    }

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return (rnd, size) -> generate(rnd, size).map(f);
    }

    /** Lists of {@code minSize} to {@code maxSize} elements, at most {@code size} (but never fewer than minSize). */
    default Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("list sizes must satisfy 0 <= min <= max, got " + minSize + ".." + maxSize);
        }
        return (rnd, size) -> {
            int upper = Math.max(minSize, Math.min(maxSize, size));
            int n = minSize + rnd.nextInt(upper - minSize + 1);
            List<Shrinkable<T>> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) elements.add(generate(rnd, size));
            return Shrinkable.list(elements, minSize);
        };
    }

    /**
     * Any int in {@code min..max}: one time in 20 each the bounds and the simplest value (0, or the bound nearest
     * it), three in 20 a value within 16 of the simplest, else uniform. Boundaries and small numbers find most bugs.
     */
    static Gen<Integer> ints(int min, int max) {
        if (max < min) throw new IllegalArgumentException("ints needs min <= max, got " + min + ".." + max);
        return (rnd, size) -> integral(rnd, min, max).map(Long::intValue);
    }

    /** Every int. */
    static Gen<Integer> ints() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Every long, drawn like {@link #ints(int, int)}. */
    static Gen<Long> longs() {
        return (rnd, size) -> integral(rnd, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static Shrinkable<Long> integral(Random rnd, long min, long max) {
        long simplest = Math.clamp(0, min, max);
        long v = switch (rnd.nextInt(20)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> simplest;
            case 3, 4, 5 -> {
                long d = rnd.nextInt(-16, 17), near = simplest + d;
                if (d > 0 && near < simplest) near = Long.MAX_VALUE; // saturate instead of overflowing
                if (d < 0 && near > simplest) near = Long.MIN_VALUE;
                yield Math.clamp(near, min, max);
            }
            default -> max < Long.MAX_VALUE ? rnd.nextLong(min, max + 1)
                    : min > Long.MIN_VALUE ? rnd.nextLong(min - 1, max) + 1
                    : rnd.nextLong();
        };
        return Shrinkable.towards(simplest, v);
    }

    /** A seed for a {@code new Random(seed)} in the test. It does not shrink: another seed is another case, not a smaller one. */
    static Gen<Long> seeds() {
        return of(Random::nextLong);
    }

    static Gen<Boolean> booleans() {
        return (rnd, size) -> rnd.nextBoolean()
                ? new Shrinkable<>(true, () -> Stream.of(Shrinkable.of(false)))
                : Shrinkable.of(false);
    }

    /**
     * Every double: one time in 5 an edge (0, -0, ±1, ±MIN_VALUE, ±MAX_VALUE, NaN, ±infinity), else half the time a
     * plain number in ±1000 and half the time any bit pattern. Shrinks to 0, then to the nearest whole number.
     */
    static Gen<Double> doubles() {
        List<Double> edges = List.of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        return (rnd, size) -> {
            int pick = rnd.nextInt(10);
            double v = pick < 2 ? edges.get(rnd.nextInt(edges.size()))
                    : pick < 6 ? rnd.nextDouble(-1000, 1000)
                    : Double.longBitsToDouble(rnd.nextLong());
            return new Shrinkable<>(v, () -> Stream.of(0.0, Math.rint(v))
                    .filter(s -> Double.isFinite(s) && Double.compare(s, v) != 0).distinct().map(Shrinkable::of));
        };
    }

    /** Uniform over {@code min..max}, plus each bound one time in 20; shrinks to 0 (or the bound nearest it). */
    static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
        if (max.compareTo(min) < 0) throw new IllegalArgumentException("bigIntegers needs min <= max, got " + min + ".." + max);
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        BigInteger target = BigInteger.ZERO.max(min).min(max);
        return (rnd, size) -> {
            int pick = rnd.nextInt(20);
            BigInteger v;
            if (pick == 0) v = min;
            else if (pick == 1) v = max;
            else {
                BigInteger r;
                do r = new BigInteger(span.bitLength(), rnd); while (r.compareTo(span) >= 0);
                v = min.add(r);
            }
            return v.equals(target) ? Shrinkable.of(v) : new Shrinkable<>(v, () -> Stream.of(Shrinkable.of(target)));
        };
    }

    /**
     * Mostly printable ASCII; one time in 10 a control character (NUL included), three in 10 any other character
     * of the basic plane except a surrogate (those only exist in pairs). Shrinks to {@code 'a'}.
     */
    static Gen<Character> chars() {
        return (rnd, size) -> {
            int pick = rnd.nextInt(10);
            char c;
            if (pick < 6) c = (char) (' ' + rnd.nextInt(95));
            else if (pick < 7) c = (char) rnd.nextInt(32);
            else do c = (char) (0x7F + rnd.nextInt(0x10000 - 0x7F)); while (Character.isSurrogate(c));
            return c == 'a' ? Shrinkable.of(c) : new Shrinkable<>(c, () -> Stream.of(Shrinkable.of('a')));
        };
    }

    /** Strings of 0 to {@code maxLength} {@link #chars()}; shrinks by dropping characters, then simplifying them. */
    static Gen<String> strings(int maxLength) {
        return chars().list(0, maxLength).map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /** One of {@code values}, uniformly; shrinks towards the first. */
    static <T> Gen<T> elements(List<T> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("elements needs at least one value");
        List<T> copy = List.copyOf(values);
        return (rnd, size) -> Shrinkable.towards(0, rnd.nextInt(copy.size())).map(i -> copy.get(i.intValue()));
    }

    /** One of {@code gens}, chosen uniformly; the case shrinks within the generator that made it. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return oneOf(List.of(gens));
    }

    static <T> Gen<T> oneOf(List<? extends Gen<? extends T>> gens) {
        if (gens.isEmpty()) throw new IllegalArgumentException("oneOf needs at least one generator");
        List<Gen<? extends T>> copy = List.copyOf(gens);
        return (rnd, size) -> widen(copy.get(rnd.nextInt(copy.size())).generate(rnd, size));
    }

    record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight < 1) throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
    }

    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** One of the choices, each in proportion to its weight; the case shrinks within the generator that made it. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> copy = List.of(choices);
        int total = copy.stream().mapToInt(Weighted::weight).sum();
        return (rnd, size) -> {
            int x = rnd.nextInt(total);
            for (Weighted<? extends T> c : copy) {
                if ((x -= c.weight()) < 0) return widen(c.gen().generate(rnd, size));
            }
            throw new IllegalStateException("unreachable: weights sum to " + total);
        };
    }

    /** Draws {@code a} then {@code b}; the result shrinks through {@code a}, then through {@code b}. */
    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return (rnd, size) -> {
            Shrinkable<A> sa = a.generate(rnd, size);
            Shrinkable<B> sb = b.generate(rnd, size);
            return Shrinkable.zip(sa, sb, f);
        };
    }

    interface Function3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    static <A, B, C, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Function3<? super A, ? super B, ? super C, ? extends R> f) {
        return (rnd, size) -> {
            Shrinkable<A> sa = a.generate(rnd, size);
            Shrinkable<B> sb = b.generate(rnd, size);
            Shrinkable<C> sc = c.generate(rnd, size);
            Shrinkable<Function<C, R>> ab = Shrinkable.zip(sa, sb, (x, y) -> z -> f.apply(x, y, z));
            return Shrinkable.zip(ab, sc, Function::apply);
        };
    }

    interface Function4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    static <A, B, C, D, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d,
                                      Function4<? super A, ? super B, ? super C, ? super D, ? extends R> f) {
        return (rnd, size) -> {
            Shrinkable<A> sa = a.generate(rnd, size);
            Shrinkable<B> sb = b.generate(rnd, size);
            Shrinkable<C> sc = c.generate(rnd, size);
            Shrinkable<D> sd = d.generate(rnd, size);
            Shrinkable<Function<C, Function<D, R>>> ab = Shrinkable.zip(sa, sb, (x, y) -> z -> w -> f.apply(x, y, z, w));
            Shrinkable<Function<D, R>> abc = Shrinkable.zip(ab, sc, Function::apply);
            return Shrinkable.zip(abc, sd, Function::apply);
        };
    }

    private static <T> Shrinkable<T> widen(Shrinkable<? extends T> s) {
        return s.map(Function.<T>identity());
    }
}
