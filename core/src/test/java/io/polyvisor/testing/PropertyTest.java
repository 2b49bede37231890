package io.polyvisor.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The harness itself: it runs every try, grows sizes, reports the seed, replays it, and shrinks for real. */
class PropertyTest {
    static final Gen<List<Integer>> LISTS = Gen.ints(0, 9).list(0, 20);

    @Test
    void aPassingPropertyRunsEveryTryWithSizesGrowingFromOneToMax() {
        List<Integer> sizes = new ArrayList<>();
        Gen<Integer> size = (rnd, s) -> Shrinkable.of(s);
        Property.forAll(size).tries(50).maxSize(40).check(sizes::add);
        assertThat(sizes).hasSize(50).isSorted().startsWith(1).endsWith(40);
    }

    @Test
    void everyTryGetsItsOwnRandomCase() {
        Set<Long> seen = new HashSet<>();
        Property.forAll(Gen.seeds()).tries(100).check(seen::add);
        assertThat(seen).hasSize(100);
    }

    @Test
    void aFailureReportsSeedSizeSmallestCaseAndHowToReproduce() {
        var e = failure(Property.forAll(LISTS).seed(42), l -> assertThat(l).hasSizeLessThanOrEqualTo(3));
        assertThat(e.getMessage())
                .contains("(base seed 42, size ")
                .containsPattern("smallest failing case \\(size \\d+, after \\d+ shrink steps\\): \\[0, 0, 0, 0]\n")
                .contains("failure: java.lang.AssertionError")
                .endsWith("reproduce with -Dpolyvisor.seed=42");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void theReportedSeedReplaysTheSameFailure() {
        Property.Check<List<Integer>> sumBelow30 = l -> assertThat(l.stream().mapToInt(Integer::intValue).sum()).isLessThan(30);
        var e = failure(Property.forAll(LISTS), sumBelow30);
        var m = Pattern.compile("-Dpolyvisor.seed=(-?\\d+)").matcher(e.getMessage());
        assertThat(m.find()).as(e.getMessage()).isTrue();
        var again = failure(Property.forAll(LISTS).seed(Long.parseLong(m.group(1))), sumBelow30);
        assertThat(again.getMessage()).isEqualTo(e.getMessage());
    }

    @Test
    void numbersShrinkToTheExactBoundary() {
        var e = failure(Property.forAll(Gen.ints(0, 1_000_000)).seed(7), x -> assertThat(x).isLessThan(1234));
        assertThat(e.getMessage()).contains("shrink steps): 1234\n");
    }

    @Test
    void listsNeverShrinkBelowTheirMinimumAndRemovalsKeepTheCulprit() {
        var e = failure(Property.forAll(Gen.ints(0, 9).list(2, 8)).seed(3), l -> assertThat(l).doesNotContain(7));
        assertThat(e.getMessage()).containsPattern("shrink steps\\): \\[(0, 7|7, 0)]\n");
        var always = failure(Property.forAll(Gen.ints(0, 9).list(2, 8)).seed(3), l -> { throw new AssertionError("no"); });
        assertThat(always.getMessage()).contains("shrink steps): [0, 0]\n");
    }

    @Test
    void zippedCasesShrinkEveryPart() {
        record Pair(int a, String b) {}
        var e = failure(Property.forAll(Gen.zip(Gen.ints(0, 100), Gen.strings(10), Pair::new)).seed(11),
                p -> assertThat(p.a() < 50 || p.b().length() < 2).isTrue());
        assertThat(e.getMessage()).contains("shrink steps): Pair[a=50, b=aa]\n");
    }

    @Test
    void anExceptionIsAFailureToo() {
        var e = failure(Property.forAll(Gen.ints(0, 100)).seed(5), x -> {
            if (x > 10) throw new IllegalStateException("too big: " + x);
        });
        assertThat(e.getMessage()).contains("shrink steps): 11\n").contains("failure: java.lang.IllegalStateException: too big: 11");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shrinkingStopsAtItsLimit() {
        List<Integer> runs = new ArrayList<>();
        var e = failure(Property.forAll(Gen.ints(0, 9).list(20, 20)).tries(10).seed(9).shrinkLimit(5), l -> {
            runs.add(l.size());
            throw new AssertionError("always");
        });
        assertThat(runs).hasSize(1 + 5);
        assertThat(e.getMessage()).contains("property failed on try 1 of 10").contains("after 5 shrink steps");
    }

    @Test
    void theSeedPropertyIsALongOrRandomOrUnsetAndNothingElse() {
        assertThat(Property.baseSeed("-123", "A#a")).isEqualTo(-123);
        assertThat(Property.baseSeed(" 99 ", "A#a")).isEqualTo(99);
        // unset: fixed per property, so every run (CI's too) replays the same cases
        assertThat(Property.baseSeed(null, "A#a")).isEqualTo(Property.baseSeed("", "A#a")).isEqualTo(Property.baseSeed(null, "A#a"));
        assertThat(Property.baseSeed(null, "A#a")).isNotEqualTo(Property.baseSeed(null, "A#b"));
        assertThat(Property.baseSeed("random", "A#a")).isNotEqualTo(Property.baseSeed(" RANDOM ", "A#a"));
        assertThatThrownBy(() -> Property.baseSeed("abc", "A#a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("polyvisor.seed must be a whole number (a Java long) or 'random', got 'abc'");
    }

    @Test
    void withoutASeedAPropertyReplaysTheSameCasesOnEveryRun() {
        List<Integer> first = new ArrayList<>(), second = new ArrayList<>();
        for (List<Integer> seen : List.of(first, second)) {
            Property.forAll(Gen.ints(0, 1_000_000)).tries(20).check(seen::add); // one call site: one property
        }
        boolean exploring = "random".equalsIgnoreCase(String.valueOf(System.getProperty(Property.SEED_PROPERTY)).strip());
        if (exploring) assertThat(second).isNotEqualTo(first); // -Dpolyvisor.seed=random: new cases on every check
        else assertThat(second).isEqualTo(first);
        assertThat(first).hasSize(20);
    }

    @Test
    void generatorsKeepTheirRanges() {
        record Case(int n, String s, List<String> l) {}
        Property.forAll(Gen.zip(Gen.ints(-5, 5), Gen.strings(8), Gen.elements(List.of("a", "b")).list(1, 3), Case::new))
                .tries(500)
                .check(c -> {
                    assertThat(c.n()).isBetween(-5, 5);
                    assertThat(c.s()).hasSizeLessThanOrEqualTo(8);
                    assertThat(c.s().chars().noneMatch(ch -> Character.isSurrogate((char) ch))).as("lone surrogate in %s", c.s()).isTrue();
                    assertThat(c.l()).hasSizeBetween(1, 3).isSubsetOf("a", "b");
                });
        Property.forAll(Gen.ints(Integer.MAX_VALUE - 3, Integer.MAX_VALUE)).tries(200)
                .check(x -> assertThat(x).isGreaterThanOrEqualTo(Integer.MAX_VALUE - 3));
        Property.forAll(Gen.ints(-100, -50)).tries(200).check(x -> assertThat(x).isBetween(-100, -50));
    }

    private static <T> AssertionError failure(Property<T> property, Property.Check<? super T> check) {
        AssertionError e = catchThrowableOfType(AssertionError.class, () -> property.check(check));
        assertThat(e).as("the property should have failed").isNotNull();
        return e;
    }
}
