package io.polyvisor.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed settings over the store's {@code settings} table: each {@link SettingsKey} is one row whose value is
 * one JSON document ({@code ha -> {"tolerate_host_failures":1}}), or JSON {@code null} for a setting removed on
 * purpose. A document holds only the fields that differ from the key's default: the defaults stay in code, so
 * a release that changes one reaches every cluster that did not choose otherwise.
 *
 * <p>Contract: a stored value that does not read back as a valid value throws {@link CorruptSetting} naming
 * the key and the problem; it never becomes the default. While no document is stored, the setting's
 * {@link Legacy} keys are read; if they hold a value, the document is written and the old keys blanked in
 * the same transaction, so they are read once. Every method is atomic; reads do not cache (a second server
 * on the same database sees a change at its next read).
 */
public final class SettingsStore {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final Store store;

    public SettingsStore(Store store) {
        this.store = store;
    }

    /** The stored value, or the key's default if none is stored. */
    public <T> T load(SettingsKey<T> key) {
        if (key.defaults() == null) throw new IllegalArgumentException("setting " + key.name() + " has no default: use find");
        return find(key).orElse(key.defaults());
    }

    /** The stored value, or empty if none is stored (or it was cleared). */
    public <T> Optional<T> find(SettingsKey<T> key) {
        Optional<String> stored = store.setting(key.name());
        if (stored.isPresent()) return decode(key, stored.get());
        if (key.legacy().keys().stream().noneMatch(k -> old(store, k).isPresent())) return Optional.empty(); // nothing to migrate
        return store.inTransaction(s -> migrate(s, key));
    }

    public <T> void save(SettingsKey<T> key, T value) {
        Objects.requireNonNull(value, "a setting's value must not be null: use clear");
        write(key, encode(key, value));
    }

    /** Removes the value: {@link #find} is empty and {@link #load} gives the default from now on. */
    public void clear(SettingsKey<?> key) {
        write(key, "null");
    }

    private void write(SettingsKey<?> key, String document) {
        if (key.legacy() instanceof Legacy.None) {
            store.putSetting(key.name(), document);
            return;
        }
        store.inTransaction(s -> {
            s.putSetting(key.name(), document);
            blankLegacy(s, key);
            return null;
        });
    }

    private <T> Optional<T> migrate(Store s, SettingsKey<T> key) {
        Optional<String> stored = s.setting(key.name()); // another writer may have been first
        if (stored.isPresent()) return decode(key, stored.get());
        Optional<T> old = switch (key.legacy()) {
            case Legacy.None<T> none -> Optional.empty();
            case Legacy.Fields<T> fields -> oldFields(s, key, fields);
            case Legacy.Text<T> text -> old(s, text.key()).map(v -> {
                try {
                    return text.parse().apply(v);
                } catch (InvalidInput e) {
                    throw new CorruptSetting(text.key(), e.getMessage());
                }
            });
        };
        old.ifPresent(v -> {
            s.putSetting(key.name(), encode(key, v));
            blankLegacy(s, key);
        });
        return old;
    }

    /** One document from one old key per field; each old text is a number, or else a string. */
    private static <T> Optional<T> oldFields(Store s, SettingsKey<T> key, Legacy.Fields<T> fields) {
        ObjectNode doc = JSON.createObjectNode();
        fields.keyOfField().forEach((field, oldKey) -> old(s, oldKey).ifPresent(v -> doc.set(field, scalar(oldKey, v))));
        if (doc.isEmpty()) return Optional.empty();
        return Optional.of(read(key, new Document(doc), field -> fields.keyOfField().getOrDefault(field, key.name()),
                " (read from the old keys " + String.join(", ", fields.keys()) + ")"));
    }

    private static JsonNode scalar(String oldKey, String text) {
        if (!NUMBER.matcher(text.strip()).matches()) return TextNode.valueOf(text);
        try {
            return JSON.readTree(text.strip());
        } catch (JsonProcessingException e) {
            throw new CorruptSetting(oldKey, "not a number: " + Document.printable(text));
        }
    }

    private static Optional<String> old(Store s, String key) {
        return s.setting(key).filter(v -> !v.isBlank());
    }

    private static void blankLegacy(Store s, SettingsKey<?> key) {
        for (String k : key.legacy().keys()) {
            if (old(s, k).isPresent()) s.putSetting(k, "");
        }
    }

    private static <T> Optional<T> decode(SettingsKey<T> key, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CorruptSetting(key.name(), "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) throw new CorruptSetting(key.name(), "empty, not a JSON document");
        if (root.isNull()) return Optional.empty();
        if (!root.isObject()) throw new CorruptSetting(key.name(), "must be a JSON object, got " + Document.printable(root.toString()));
        return Optional.of(read(key, new Document((ObjectNode) root), field -> key.name(), ""));
    }

    /**
     * Reads {@code doc}. A wrong field is reported under the store key {@code keyOfField} gives for it; a value
     * its record refuses as a whole, under the setting's key with {@code whence} appended.
     */
    private static <T> T read(SettingsKey<T> key, Document doc, Function<String, String> keyOfField, String whence) {
        try {
            T value = key.codec().read(doc);
            doc.requireOnlyKnown();
            return value;
        } catch (Document.Invalid e) {
            throw new CorruptSetting(keyOfField.apply(e.field()), e.getMessage());
        } catch (InvalidInput e) {
            throw new CorruptSetting(key.name(), e.getMessage() + whence);
        }
    }

    /** The document of {@code value}: only the fields that differ from the key's default, if it has one. */
    private static <T> String encode(SettingsKey<T> key, T value) {
        Map<String, Object> fields = new TreeMap<>(key.codec().write(value));
        if (key.defaults() != null) key.codec().write(key.defaults()).forEach((field, byDefault) -> fields.remove(field, byDefault));
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write setting " + key.name() + " as JSON", e);
        }
    }
}
