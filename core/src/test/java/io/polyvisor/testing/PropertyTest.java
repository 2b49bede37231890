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
    void theSeedPropertyIsALongOrUnsetAndNothingElse() {
        assertThat(Property.baseSeed("-123")).isEqualTo(-123);
        assertThat(Property.baseSeed(" 99 ")).isEqualTo(99);
        assertThat(Property.baseSeed(null)).isNotEqualTo(Property.baseSeed(""));
        assertThatThrownBy(() -> Property.baseSeed("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("polyvisor.seed must be a whole number (a Java long), got 'abc'");
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
