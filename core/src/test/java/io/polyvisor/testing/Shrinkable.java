package io.polyvisor.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A generated value and the smaller values it may shrink to, each again a {@code Shrinkable} (a lazy tree).
 *
 * <p>Contract: every value in {@link #shrinks()} is strictly smaller than {@link #value()} by some well-founded
 * measure (fewer elements, a number nearer its target), so following shrinks always ends; the most
 * aggressive candidates come first. Shrinking is built in by {@link Gen}'s combinators, so a mapped or zipped
 * value shrinks through its parts and stays valid for the generator that made it.
 */
public record Shrinkable<T>(T value, Supplier<Stream<Shrinkable<T>>> shrinks) {

    /** A value that does not shrink. */
    public static <T> Shrinkable<T> of(T value) {
        return new Shrinkable<>(value, Stream::empty);
    }

    public <R> Shrinkable<R> map(Function<? super T, ? extends R> f) {
        return new Shrinkable<>(f.apply(value), () -> shrinks.get().map(s -> s.map(f)));
    }

    /** Shrinks {@code a} first, then {@code b}; each candidate keeps the other part as it is. */
    static <A, B, R> Shrinkable<R> zip(Shrinkable<A> a, Shrinkable<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return new Shrinkable<>(f.apply(a.value, b.value),
                () -> Stream.concat(a.shrinks.get().map(x -> zip(x, b, f)), b.shrinks.get().map(y -> zip(a, y, f))));
    }

    /**
     * A list that shrinks by removing runs of elements (all removable ones, then halves, quarters ... single
     * elements), never below {@code minSize}, then by shrinking one element in place.
     */
    static <T> Shrinkable<List<T>> list(List<Shrinkable<T>> elements, int minSize) {
        List<T> values = elements.stream().map(Shrinkable::value).toList();
        return new Shrinkable<>(values, () -> Stream.concat(removals(elements, minSize), elementShrinks(elements))
                .map(l -> list(l, minSize)));
    }

    private static <T> Stream<List<Shrinkable<T>>> removals(List<Shrinkable<T>> xs, int minSize) {
        int n = xs.size();
        return IntStream.iterate(n - minSize, k -> k > 0, k -> k / 2).boxed()
                .flatMap(k -> IntStream.iterate(0, i -> i + k <= n, i -> i + k).mapToObj(i -> {
                    List<Shrinkable<T>> out = new ArrayList<>(xs.subList(0, i));
                    out.addAll(xs.subList(i + k, n));
                    return out;
                }));
    }

    private static <T> Stream<List<Shrinkable<T>>> elementShrinks(List<Shrinkable<T>> xs) {
        return IntStream.range(0, xs.size()).boxed().flatMap(i -> xs.get(i).shrinks.get().map(s -> {
            List<Shrinkable<T>> out = new ArrayList<>(xs);
            out.set(i, s);
            return out;
        }));
    }

    /**
     * {@code value} shrinking towards {@code target}: first the target itself, then values halfway, a quarter of
     * the way ... down to one step away, so a failing boundary is found by a binary search.
     */
    static Shrinkable<Long> towards(long target, long value) {
        return new Shrinkable<>(value, () -> {
            if (value == target) return Stream.empty();
            // half the distance, each term halved first so that extreme longs cannot overflow
            Stream<Long> nearer = Stream.iterate(value / 2 - target / 2, d -> d != 0, d -> d / 2)
                    .map(d -> value - d)
                    .filter(v -> v != target && v != value)
                    .distinct();
            return Stream.concat(Stream.of(target), nearer).map(v -> towards(target, v));
        });
    }
}
