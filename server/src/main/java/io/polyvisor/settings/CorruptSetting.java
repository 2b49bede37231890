package io.polyvisor.settings;

/**
 * A stored setting cannot be read: the database holds a value this code refuses, so nothing falls back to a
 * default behind the operator's back. The message names the store key and the problem, e.g.
 * {@code stored setting "ha" is invalid: tolerate_host_failures must be between 0 and 8, got -3}.
 */
public final class CorruptSetting extends IllegalStateException {
    private final String key;

    public CorruptSetting(String key, String problem) {
        super("stored setting \"" + key + "\" is invalid: " + problem);
        this.key = key;
    }

    /** The store key whose value is wrong. */
    public String key() {
        return key;
    }
}
