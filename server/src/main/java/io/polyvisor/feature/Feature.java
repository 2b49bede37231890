package io.polyvisor.feature;

import io.polyvisor.api.Route;

import java.util.List;

/**
 * A feature slice: everything one feature package adds to the running server, handed to the composition root
 * ({@code server.PolyvisorServer#features}) as one value. A new feature is a new package with a class
 * implementing this, plus one line in that list; it edits no shared file.
 *
 * <p>Contract: the methods are called once each, after construction and before {@link Controller#start()};
 * they return values, never start anything. Route paths must not clash with another feature's.
 */
public interface Feature {
    /** Short name, lower case ({@code "ha"}): logs and the OpenAPI tags. */
    String name();

    /** The REST routes this feature serves, under {@code /api/v1/}. */
    default List<Route> routes() {
        return List.of();
    }

    /** The WebSocket endpoints this feature serves ({@link io.polyvisor.api.Socket}). */
    default List<io.polyvisor.api.Socket> sockets() {
        return List.of();
    }

    /**
     * Its control loops, started in list order after the API is up, and closed in reverse order. In a cluster, the
     * controllers of a feature that runs on the leader are asked for again at each leader term (docs/CLUSTER.md): each
     * call returns controllers to start once, and an object shared between calls must start again after a halt.
     */
    default List<Controller> controllers() {
        return List.of();
    }

    /** Fields this feature adds to every VM's JSON view ({@code GET /api/v1/vms}, {@code /vms/{ref}}). */
    default List<VmFacet> vmFacets() {
        return List.of();
    }

    /** What this feature hands a VM's guest when an instance is defined ({@link GuestFacet}). */
    default List<GuestFacet> guestFacets() {
        return List.of();
    }
}
