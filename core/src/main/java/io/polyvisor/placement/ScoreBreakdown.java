package io.polyvisor.placement;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A candidate's score per scorer, as an immutable map in scorer order. The scheduler scores every candidate of every
 * placement, so this is a view over the scorer names (shared by every breakdown of one scheduler) and one array of
 * values, not a hash map per candidate. Lookups scan the few scorer names.
 */
final class ScoreBreakdown extends AbstractMap<String, Double> {
    private final String[] names;
    private final double[] values;

    /** {@code values[i]} is the score of {@code names[i]}; both are kept as given (the caller hands over its copy). */
    ScoreBreakdown(String[] names, double[] values) {
        if (names.length != values.length) throw new IllegalArgumentException("one value per scorer name");
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(key)) return i;
        return -1;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.length;
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (next >= names.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }
        };
    }
}
