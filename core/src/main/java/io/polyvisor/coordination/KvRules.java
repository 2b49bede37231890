package io.polyvisor.coordination;

import java.util.Optional;

/**
 * Compare-and-set, pure. {@code cas} is the revision the writer last saw of the key: 0 means "the key must not exist"
 * (create only), N means "the key must be live at revision N". A tombstone counts as absent.
 *
 * <p>Contract: returns the refusal's reason, naming the current revision (0 when absent), or empty to go ahead.
 */
public final class KvRules {
    private KvRules() {}

    public static Optional<String> compareAndSet(Optional<KvEntry> current, String key, Long cas) {
        if (cas == null) return Optional.empty();
        long now = current.filter(e -> !e.deleted()).map(KvEntry::revision).orElse(0L);
        if (now == cas) return Optional.empty();
        return Optional.of(now == 0 ? "key " + key + " does not exist (current revision 0), cas=" + cas + " does not match"
                : cas == 0 ? "key " + key + " already exists at revision " + now + ", cas=0 asks to create it"
                : "key " + key + " is at revision " + now + ", cas=" + cas + " does not match");
    }

    /** The revision a CAS would match now: that of the live entry, 0 when absent or deleted. */
    public static long currentRevision(Optional<KvEntry> current) {
        return current.filter(e -> !e.deleted()).map(KvEntry::revision).orElse(0L);
    }
}
