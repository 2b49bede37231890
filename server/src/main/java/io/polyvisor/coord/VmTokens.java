package io.polyvisor.coord;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import io.polyvisor.events.Journal;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Per-VM coordination credentials. A token is 256 random bits (64 hex characters), minted by the server and shown
 * once; the store keeps only its SHA-256 (a token that random needs no salt or slow hash). A guest presents it as
 * {@code Authorization: Bearer TOKEN}; it names exactly one VM and dies with it (the row goes with the VM's row, and
 * a VM being deleted is refused). Tokens are never logged nor recorded in events.
 */
final class VmTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCHEME = "Bearer ";

    private final Store store;
    private final Journal journal;
    private final GuestLimiter limiter;

    VmTokens(Store store, Journal journal, GuestLimiter limiter) {
        this.store = store;
        this.journal = journal;
        this.limiter = limiter;
    }

    /** Mints a new token for {@code vm}, replacing any earlier one (which stops working at once). */
    String mint(Vm vm) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        store.inTransaction(tx -> {
            tx.putCoordToken(vm.id(), hash(token));
            journal.record(tx, CoordEvent.VM_COORD_TOKEN, vm.name(), "coordination token of " + vm.name() + " minted (any earlier one revoked)");
            return null;
        });
        journal.signal();
        return token;
    }

    /**
     * The calling VM: 401 without a valid token, or for a VM being deleted; 429 over its rate limit ({@link GuestLimiter});
     * 403 for a VM in no group. Read as a guard
     * ({@link Store#inGuardTransaction}): what the caller does next is a write whose answer waits for the disk, or a
     * read that waits for every earlier commit to be durable, so this lookup need not wait for the disk itself.
     */
    Vm caller(Context ctx) {
        return caller(ctx, store::inGuardTransaction);
    }

    /** {@link #caller}, read as an answer: it waits for earlier commits to be durable (for {@code GET /v1/self}). */
    Vm callerAsAnswer(Context ctx) {
        return caller(ctx, store::inTransaction);
    }

    private Vm caller(Context ctx, java.util.function.Function<java.util.function.Function<Store, Optional<Vm>>, Optional<Vm>> read) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw unauthorized(ctx, "missing coordination token: send Authorization: Bearer TOKEN");
        }
        String token = header.substring(SCHEME.length()).strip();
        Optional<Vm> vm = read.apply(tx -> tx.vmByCoordToken(hash(token)).flatMap(tx::vm));
        if (vm.isEmpty()) throw unauthorized(ctx, "wrong coordination token");
        Vm v = vm.get();
        if (v.intent() == PowerIntent.DELETED || v.state() instanceof VmState.Deleted) {
            throw unauthorized(ctx, "the coordination token's VM is deleted");
        }
        limiter.admit(v, ctx);
        if (v.labels().get(CoordFeature.GROUP_LABEL) == null) {
            throw new ForbiddenResponse("VM " + v.name() + " has no label " + CoordFeature.GROUP_LABEL + "=NAME, so no group to coordinate in");
        }
        return v;
    }

    /** The coordination group of a VM that carries the group label: its name in the VM's own project. */
    static io.polyvisor.coordination.CoordGroup group(Vm vm) {
        return io.polyvisor.coordination.CoordGroup.of(vm, CoordFeature.GROUP_LABEL);
    }

    private static UnauthorizedResponse unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new UnauthorizedResponse(detail);
    }

    static String hash(String token) {
        return io.polyvisor.api.Credentials.hash(token);
    }
}
