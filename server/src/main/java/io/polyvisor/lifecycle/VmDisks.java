package io.polyvisor.lifecycle;

import io.polyvisor.model.Disk;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.UUID;

/**
 * What a VM create asks of storage, supplied by the storage feature ({@code io.polyvisor.storage}). The create path
 * calls {@link #plan} before placing (it checks and writes nothing), {@link Plan#make} on the chosen host, then records
 * the VM with {@link Made#record} in the VM's own transaction, and calls {@link Made#undo} if that transaction fails,
 * so a refused or failed create leaves no volume behind.
 */
public interface VmDisks {
    /**
     * The disk part of a create request.
     *
     * @param image         an image to give the VM a new copy-on-write root volume over, or null
     * @param diskSizeBytes that volume's size (null: the image's virtual size); only with {@code image}
     * @param volumes       existing volumes to attach, in order after the image's volume
     * @param pool          the shared pool to make the image's volume in (null: the host's local pool); only with
     *                      {@code image}
     */
    record Request(String image, Long diskSizeBytes, List<String> volumes, String pool) {
        public static final Request NONE = new Request(null, null, List.of());

        public Request {
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }

        public Request(String image, Long diskSizeBytes, List<String> volumes) {
            this(image, diskSizeBytes, volumes, null);
        }

        public boolean none() {
            return image == null && volumes.isEmpty();
        }
    }

    /** Checks {@code request} for a VM named {@code vm}; throws a refusal or invalid input naming what is wrong. */
    Plan plan(String vm, Request request, String pinned);

    interface Plan {
        /** The host the VM must run on (its volumes' host), or null when any host will do. */
        String host();

        /**
         * Its disks in shared pools, known before placement: the VM is placed with them, so placement admits only hosts
         * that declare their pools.
         */
        default List<Disk> sharedDisks() {
            return List.of();
        }

        /** Makes what the VM needs on {@code host}; throws (having made nothing) if it cannot. */
        Made make(String host);
    }

    interface Made {
        List<Disk> disks();

        /** Writes the volumes' side of the VM's disks inside the VM's create transaction. */
        void record(Store tx, UUID vm);

        /** Removes what {@link Plan#make} made; for a create that did not commit. */
        void undo();
    }

    /** No storage: a request with disks is refused. */
    VmDisks NONE = (vm, request, pinned) -> {
        if (!request.none()) throw new io.polyvisor.model.InvalidInput("this server has no storage feature; disks cannot be given");
        return new Plan() {
            @Override
            public String host() {
                return null;
            }

            @Override
            public Made make(String host) {
                return new Made() {
                    @Override
                    public List<Disk> disks() {
                        return List.of();
                    }

                    @Override
                    public void record(Store tx, UUID id) {}

                    @Override
                    public void undo() {}
                };
            }
        };
    };
}
