package io.polyvisor.disk;

import io.polyvisor.model.Sizes;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pure decisions about volumes: each returns the reason to refuse (a message for the user), or empty when the change
 * may go ahead. They read only their arguments; the caller has validated names and sizes.
 */
public final class StorageRules {
    private StorageRules() {}

    /** The power state of the VM a volume is attached to, as far as storage cares. */
    public enum Use { STOPPED, ACTIVE }

    /**
     * Growing only. A volume attached to a VM that is not stopped is refused too: the guest would not see the new size
     * until it rescans, and a resize under a running QEMU is not safe for qcow2.
     */
    public static Optional<String> resize(Volume v, long next, String vmName, Use use) {
        if (next < v.sizeBytes()) {
            return Optional.of("volume " + v.name() + " is " + Sizes.format(v.sizeBytes()) + "; shrinking is refused (asked "
                    + Sizes.format(next) + ")");
        }
        if (v.vm() != null && use == Use.ACTIVE) {
            return Optional.of("volume " + v.name() + " is attached to VM " + vmName + ", which is not stopped; stop it first");
        }
        return Optional.empty();
    }

    /** Refused while attached. */
    public static Optional<String> delete(Volume v, String vmName) {
        if (v.vm() != null) {
            return Optional.of("volume " + v.name() + " is attached to VM " + vmName + "; delete the VM or detach the volume first");
        }
        return Optional.empty();
    }

    /** Refused while a volume is made from it. */
    public static Optional<String> deleteImage(String image, List<Volume> volumes) {
        var users = volumes.stream().filter(v -> image.equals(v.image())).map(Volume::name).sorted().toList();
        if (users.isEmpty()) return Optional.empty();
        return Optional.of("image " + image + " is in use by volume" + (users.size() == 1 ? " " : "s ") + String.join(", ", users));
    }

    /** A host's pool as placement sees it. */
    public record PoolRoom(String host, long availableBytes) {}

    /** A host chosen for a new volume, or why none fits. */
    public sealed interface Choice {
        record Chosen(String host) implements Choice {}

        record NoRoom(String reason) implements Choice {}
    }

    /** The pool with the most room that fits {@code size}; ties go to the first host by name. */
    public static Choice choose(List<PoolRoom> pools, long size) {
        if (pools.isEmpty()) return new Choice.NoRoom("no connected host with a storage pool");
        var best = pools.stream().max(Comparator.comparingLong(PoolRoom::availableBytes)
                .thenComparing(PoolRoom::host, Comparator.reverseOrder())).orElseThrow();
        if (best.availableBytes() < size) {
            return new Choice.NoRoom("no host's pool has " + Sizes.format(size) + " available (the most is "
                    + Sizes.format(best.availableBytes()) + " on host " + best.host() + ")");
        }
        return new Choice.Chosen(best.host());
    }

    /** Refused when {@code size} is more than the pool's available bytes. */
    public static Optional<String> fits(PoolRoom pool, long size) {
        if (size <= pool.availableBytes()) return Optional.empty();
        return Optional.of("host " + pool.host() + "'s pool has " + Sizes.format(pool.availableBytes()) + " available; "
                + Sizes.format(size) + " asked");
    }

    /** Refused when {@code size} is more than shared pool {@code pool}'s available bytes. */
    public static Optional<String> fitsShared(String pool, long availableBytes, long size) {
        if (size <= availableBytes) return Optional.empty();
        return Optional.of("shared pool " + pool + " has " + Sizes.format(availableBytes) + " available; " + Sizes.format(size) + " asked");
    }

    /**
     * The host a new VM with these existing volumes must run on: the volumes' host (local storage), which must be one
     * host, agree with {@code pinned} (null: any), and none may be attached already. {@code On(null)}: nothing constrains
     * it.
     */
    public static Placement placeWith(List<Volume> volumes, String pinned, java.util.function.Function<java.util.UUID, String> vmName) {
        String host = null;
        Volume first = null;
        for (Volume v : volumes) {
            if (v.vm() != null) return new Placement.Refused("volume " + v.name() + " is already attached to VM " + vmName.apply(v.vm()));
            if (v.shared()) continue; // reachable from every host that declares its pool: placement's local-storage filter
            if (first == null) first = v;
            if (host != null && !host.equals(v.host())) {
                return new Placement.Refused("volumes " + first.name() + " and " + v.name()
                        + " are on different hosts (" + host + ", " + v.host() + "); a VM's local volumes must share its host");
            }
            host = v.host();
        }
        if (host != null && pinned != null && !pinned.equals(host)) {
            return new Placement.Refused("volume " + first.name() + " is on host " + host + ", not on host " + pinned);
        }
        return new Placement.On(host != null ? host : pinned);
    }

    /**
     * Where a volume over {@code image} may be made, given a host the request names ({@code pinned}, null: any): anywhere
     * for an imported image (it is copied to the pool first), only its own host for a template's image.
     */
    public static Placement placeOver(Image image, String pinned) {
        if (image == null || image.host() == null) return new Placement.On(pinned);
        if (pinned != null && !pinned.equals(image.host())) {
            return new Placement.Refused("template " + image.name() + "'s image is only in host " + image.host()
                    + "'s pool; a volume over it must be on host " + image.host() + ", not on host " + pinned);
        }
        return new Placement.On(image.host());
    }

    /** Where a VM with disks may go. */
    public sealed interface Placement {
        /** {@code host} null: anywhere. */
        record On(String host) implements Placement {}

        record Refused(String reason) implements Placement {}
    }
}
