package io.polyvisor.coordination;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Optional;

/**
 * Whether a held lease must be revoked now, from what the store says of its holder and of the host the holder ran on
 * when it last acquired or renewed. Pure.
 *
 * <p>Contract: revokes when the holder VM is gone, deleted or being deleted, stopped or asked to stop, failed, or when
 * that host is {@link HostState#FAILED} (HA declared it dead: fenced, or fencing failed). A VM {@code unknown} on an
 * unreachable host keeps its lease until HA fences the host or the TTL lapses: the guest may still be running there,
 * and fencing tokens protect writes meanwhile. Revoking is always safe (the holder's next fenced write is refused);
 * not revoking costs at most the TTL.
 */
public final class Revocation {
    private Revocation() {}

    public static Optional<String> reason(Lease lease, Optional<Vm> holder, Optional<Host> holderHost) {
        if (holder.isEmpty()) return Optional.of("holder VM " + lease.holderName() + " is gone");
        Vm vm = holder.get();
        if (vm.intent() == PowerIntent.DELETED || vm.state() instanceof VmState.Deleted) {
            return Optional.of("holder VM " + vm.name() + " was deleted");
        }
        if (vm.intent() == PowerIntent.STOPPED || vm.state() instanceof VmState.Stopped) {
            return Optional.of("holder VM " + vm.name() + " stopped");
        }
        if (vm.state() instanceof VmState.Failed f) return Optional.of("holder VM " + vm.name() + " failed: " + f.reason());
        if (holderHost.isPresent() && holderHost.get().state() == HostState.FAILED) {
            return Optional.of("host " + holderHost.get().name() + " of holder VM " + vm.name() + " was fenced");
        }
        return Optional.empty();
    }
}
