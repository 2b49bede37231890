package io.polyvisor.settings;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One typed setting: the store key its document lives under, its value when nothing is stored, how the
 * document's fields are written and read, and where the value was kept before it was one document.
 * Declared next to the feature that owns the setting ({@code HaSettingsDocument.KEY}, {@code FenceConfig.key(host)}).
 *
 * @param name     the store key, such as {@code ha} or {@code ha.fence_agent.h1}
 * @param defaults the value when nothing is stored, or null for a setting that may be absent ({@link SettingsStore#find})
 * @param codec    the document's fields
 * @param legacy   the old keys, read once when no document is stored yet
 */
public record SettingsKey<T>(String name, T defaults, Codec<T> codec, Legacy<T> legacy) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,127}");

    public SettingsKey {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a settings key must be 1-128 characters of a-z, 0-9, '_', '.' and '-', got '" + name + "'");
        }
        Objects.requireNonNull(codec, "codec");
        legacy = legacy == null ? new Legacy.None<>() : legacy;
    }

    /** A setting that was never stored any other way. */
    public SettingsKey(String name, T defaults, Codec<T> codec) {
        this(name, defaults, codec, null);
    }
}
