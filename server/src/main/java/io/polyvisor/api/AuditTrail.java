package io.polyvisor.api;

import io.javalin.http.Context;
import io.polyvisor.access.AuditEntry;
import io.polyvisor.access.Principal;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;

/**
 * The audit journal's writer: every state-changing request under {@code /api/} (anything but GET, HEAD, OPTIONS),
 * answered or refused, is stored with its actor ({@link Caller}), method, path and status, once its answer is
 * decided. Never the body, the query string or a header: no credential reaches the journal.
 */
final class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    static final int MAX_PATH = 2048;

    private final Store store;
    private final Clock clock;

    AuditTrail(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void record(Context ctx) {
        String method = ctx.method().name(), path = ctx.path();
        if (SAFE.contains(method) || !path.startsWith("/api/")) return;
        Principal p = Caller.find(ctx).orElse(null);
        var entry = new AuditEntry(0, clock.instant(), p == null ? "-" : p.name(), p == null ? null : p.role().label(), method,
                path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path, ctx.statusCode());
        try {
            store.appendAudit(entry);
        } catch (RuntimeException e) {
            // the request itself is done; a journal that cannot be written is an operator's problem, said loudly
            log.error("cannot write the audit entry for {} {} by {}", method, entry.path(), entry.actor(), e);
        }
    }
}
