package io.polyvisor.settings;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a setting was kept before it was one document. {@link SettingsStore} reads the old keys only while
 * no document is stored; the first read or write stores the document and blanks the old keys, so they are
 * read once. A blank old value counts as absent (it is how values were removed, and how migration leaves them).
 */
public sealed interface Legacy<T> {
    /** The old keys, for blanking them and for naming them in errors. */
    List<String> keys();

    /** Never stored any other way. */
    record None<T>() implements Legacy<T> {
        @Override
        public List<String> keys() {
            return List.of();
        }
    }

    /**
     * Each field of the document had its own key ({@code ha.tolerate_host_failures}) holding its value as
     * text: a number, or a word such as {@code consolidate}.
     *
     * @param keyOfField old key per document field
     */
    record Fields<T>(Map<String, String> keyOfField) implements Legacy<T> {
        public Fields {
            keyOfField = Map.copyOf(keyOfField);
        }

        @Override
        public List<String> keys() {
            return keyOfField.values().stream().sorted().toList();
        }
    }

    /**
     * The whole value was one key in another text form.
     *
     * @param parse reads the old text; throws {@link io.polyvisor.model.InvalidInput} if it is invalid
     */
    record Text<T>(String key, Function<String, T> parse) implements Legacy<T> {
        @Override
        public List<String> keys() {
            return List.of(key);
        }
    }
}
