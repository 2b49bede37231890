package io.polyvisor.settings;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link SettingsStore} does on every database: typed round trips, one sparse document per key, migration
 * from the old keys (once), and a loud failure naming the key for every kind of corrupt value. Subclasses
 * supply a fresh, empty database per test.
 */
abstract class SettingsStoreContract {
    /** A setting with every kind of field a codec reads. */
    record Sample(int count, long seconds, double ratio, String mode, Map<String, String> tags, Map<String, Double> weights) {
        static final Sample DEFAULTS = new Sample(2, 30, 0.5, "fast", Map.of(), Map.of("a", 1.0));

        Sample {
            InvalidInput.require(count >= 0 && count <= 8, "count must be between 0 and 8, got " + count);
            tags = Map.copyOf(tags);
            weights = Map.copyOf(weights);
        }
    }

    static final Codec<Sample> CODEC = Codec.of(
            s -> Map.of("count", s.count(), "seconds", s.seconds(), "ratio", s.ratio(), "mode", s.mode(),
                    "tags", new TreeMap<>(s.tags()), "weights", new TreeMap<>(s.weights())),
            d -> new Sample(d.integer("count", Sample.DEFAULTS.count()), d.longInteger("seconds", Sample.DEFAULTS.seconds()),
                    d.number("ratio", Sample.DEFAULTS.ratio()), d.choice("mode", SettingsStoreContract::mode, Sample.DEFAULTS.mode()),
                    d.texts("tags"), d.numbers("weights", Sample.DEFAULTS.weights())));
    static final SettingsKey<Sample> SAMPLE = new SettingsKey<>("sample", Sample.DEFAULTS, CODEC,
            new Legacy.Fields<>(Map.of("count", "sample.count", "mode", "sample.mode")));
    static final SettingsKey<Sample> OPTIONAL = new SettingsKey<>("sample.optional.h1", null, CODEC,
            new Legacy.Text<>("sample.old.h1", text -> new Sample(Integer.parseInt(text.strip()), 1, 1, "slow", Map.of(), Map.of())));

    Store store;
    SettingsStore settings;

    abstract Store newStore();

    @BeforeEach
    void open() {
        store = newStore();
        settings = new SettingsStore(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static String mode(String s) {
        if (!s.equals("fast") && !s.equals("slow")) throw new InvalidInput("mode must be fast or slow, got '" + s + "'");
        return s;
    }

    @Test
    void nothingStoredIsTheDefaultOrAbsent() {
        assertThat(settings.load(SAMPLE)).isEqualTo(Sample.DEFAULTS);
        assertThat(settings.find(SAMPLE)).isEmpty();
        assertThat(settings.find(OPTIONAL)).isEmpty();
        assertThat(store.setting("sample")).as("reading writes nothing").isEmpty();
        assertThatThrownBy(() -> settings.load(OPTIONAL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueRoundTripsAsOneDocumentHoldingWhatDiffersFromTheDefault() {
        var s = new Sample(5, 30, 0.25, "slow", Map.of("rack", "r1"), Map.of("a", 1.0));
        settings.save(SAMPLE, s);
        assertThat(settings.load(SAMPLE)).isEqualTo(s);
        assertThat(store.setting("sample")).contains("{\"count\":5,\"mode\":\"slow\",\"ratio\":0.25,\"tags\":{\"rack\":\"r1\"}}");

        settings.save(SAMPLE, Sample.DEFAULTS);
        assertThat(store.setting("sample")).contains("{}");
        assertThat(settings.load(SAMPLE)).isEqualTo(Sample.DEFAULTS);

        var every = new Sample(0, 7, 2.5e9, "slow", Map.of("x", "y"), Map.of("b", 0.0));
        settings.save(OPTIONAL, every);
        assertThat(settings.find(OPTIONAL)).contains(every);
    }

    @Test
    void clearingLeavesNullSoTheDefaultAppliesAndTheOldKeysAreNotReadAgain() {
        store.putSetting("sample.old.h1", "3");
        settings.save(OPTIONAL, Sample.DEFAULTS);
        settings.clear(OPTIONAL);
        assertThat(store.setting("sample.optional.h1")).contains("null");
        assertThat(store.setting("sample.old.h1")).as("saving blanked the old key").contains("");
        assertThat(settings.find(OPTIONAL)).isEmpty();
        settings.clear(SAMPLE);
        assertThat(settings.load(SAMPLE)).isEqualTo(Sample.DEFAULTS);
    }

    @Test
    void oldKeysAreMigratedOnceIntoTheDocumentAndBlanked() {
        store.putSetting("sample.count", "7");
        store.putSetting("sample.mode", "slow");
        var expected = new Sample(7, 30, 0.5, "slow", Map.of(), Map.of("a", 1.0));
        assertThat(settings.load(SAMPLE)).isEqualTo(expected);
        assertThat(store.setting("sample")).contains("{\"count\":7,\"mode\":\"slow\"}");
        assertThat(store.setting("sample.count")).contains("");
        assertThat(store.setting("sample.mode")).contains("");

        store.putSetting("sample.count", "1"); // an old server writing the old key is no longer heard
        assertThat(settings.load(SAMPLE)).isEqualTo(expected);
    }

    @Test
    void oneOldKeyIsEnoughAndBlankOldKeysAreAbsent() {
        store.putSetting("sample.count", "");
        store.putSetting("sample.mode", "slow");
        assertThat(settings.load(SAMPLE).mode()).isEqualTo("slow");
        assertThat(settings.load(SAMPLE).count()).isEqualTo(2);

        store.putSetting("sample.old.h1", "4");
        assertThat(settings.find(OPTIONAL).map(Sample::count)).contains(4);
        assertThat(store.setting("sample.optional.h1")).isPresent();
        assertThat(store.setting("sample.old.h1")).contains("");
    }

    @Test
    void savingBeforeAnyReadBlanksTheOldKeys() {
        store.putSetting("sample.count", "7");
        settings.save(SAMPLE, Sample.DEFAULTS);
        assertThat(store.setting("sample.count")).contains("");
        assertThat(settings.load(SAMPLE)).isEqualTo(Sample.DEFAULTS);
    }

    @Test
    void aCorruptDocumentFailsNamingTheKeyAndTheProblem() {
        corrupt("{\"count\":-3}", "stored setting \"sample\" is invalid: count must be between 0 and 8, got -3");
        corrupt("{\"count\":\"many\"}", "stored setting \"sample\" is invalid: count must be an integer, got \"many\"");
        corrupt("{\"count\":1.5}", "stored setting \"sample\" is invalid: count must be an integer, got 1.5");
        corrupt("{\"seconds\":true}", "stored setting \"sample\" is invalid: seconds must be an integer, got true");
        corrupt("{\"ratio\":\"half\"}", "stored setting \"sample\" is invalid: ratio must be a number, got \"half\"");
        corrupt("{\"mode\":\"warp\"}", "stored setting \"sample\" is invalid: mode must be fast or slow, got 'warp'");
        corrupt("{\"mode\":3}", "stored setting \"sample\" is invalid: mode must be a string, got 3");
        corrupt("{\"tags\":{\"rack\":1}}", "stored setting \"sample\" is invalid: tags.rack must be a string, got 1");
        corrupt("{\"weights\":[1]}", "stored setting \"sample\" is invalid: weights must be an object of numbers, got [1]");
        corrupt("{\"cuont\":1}", "stored setting \"sample\" is invalid: unknown field 'cuont'; known: count, mode, ratio, seconds, tags, weights");
        corrupt("[1,2]", "stored setting \"sample\" is invalid: must be a JSON object, got [1,2]");
        corrupt("", "stored setting \"sample\" is invalid: empty, not a JSON document");
        store.putSetting("sample", "{\"count\":1} 2");
        assertThatThrownBy(() -> settings.load(SAMPLE)).hasMessageStartingWith("stored setting \"sample\" is invalid: not JSON: Trailing token");
        store.putSetting("sample", "{\"count\":1,\"count\":2}");
        assertThatThrownBy(() -> settings.load(SAMPLE)).hasMessageStartingWith("stored setting \"sample\" is invalid: not JSON: Duplicate field 'count'");
        assertThatThrownBy(() -> settings.load(SAMPLE)).isInstanceOf(CorruptSetting.class)
                .extracting(e -> ((CorruptSetting) e).key()).isEqualTo("sample");
    }

    @Test
    void aCorruptOldValueFailsNamingTheOldKeyAndMigratesNothing() {
        store.putSetting("sample.count", "abc");
        assertThatThrownBy(() -> settings.load(SAMPLE)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"sample.count\" is invalid: count must be an integer, got \"abc\"");
        assertThat(store.setting("sample")).isEmpty();
        assertThat(store.setting("sample.count")).contains("abc");

        store.putSetting("sample.count", "-3");
        assertThatThrownBy(() -> settings.load(SAMPLE)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"sample\" is invalid: count must be between 0 and 8, got -3"
                        + " (read from the old keys sample.count, sample.mode)");

        store.putSetting("sample.old.h1", "9");
        assertThatThrownBy(() -> settings.find(OPTIONAL)).isInstanceOf(CorruptSetting.class)
                .hasMessage("stored setting \"sample.old.h1\" is invalid: count must be between 0 and 8, got 9");
        assertThat(store.setting("sample.optional.h1")).isEmpty();
    }

    @Test
    void keysAreCheckedWhenDeclared() {
        assertThatThrownBy(() -> new SettingsKey<>("Bad Key", null, CODEC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a settings key must be 1-128 characters of a-z, 0-9, '_', '.' and '-', got 'Bad Key'");
    }

    private void corrupt(String stored, String message) {
        store.putSetting("sample", stored);
        assertThatThrownBy(() -> settings.load(SAMPLE)).as(stored).isInstanceOf(CorruptSetting.class).hasMessage(message);
    }
}
