package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/** Rows of {@code settings}. */
final class SettingTable {
    private SettingTable() {}

    static Optional<String> get(Handle h, String key) {
        return h.createQuery("SELECT setting_value FROM settings WHERE setting_key = :key").bind("key", key)
                .mapTo(String.class).findOne();
    }

    /**
     * Inserts or replaces. Written as update-then-insert (portable, unlike MERGE / ON CONFLICT); when two
     * writers both insert, the loser's insert fails under a savepoint and it updates the winner's row.
     */
    static void put(Tx tx, String key, String value) {
        if (update(tx, key, value) > 0) return;
        try {
            tx.guarded(() -> tx.handle.createUpdate("INSERT INTO settings (setting_key, setting_value) VALUES (:key, :value)")
                    .bind("key", key).bind("value", value).execute(), () -> new Store.Conflict(key));
        } catch (Store.Conflict raced) {
            update(tx, key, value);
        }
    }

    private static int update(Tx tx, String key, String value) {
        return tx.handle.createUpdate("UPDATE settings SET setting_value = :value WHERE setting_key = :key")
                .bind("key", key).bind("value", value).execute();
    }
}
