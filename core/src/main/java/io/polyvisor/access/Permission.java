package io.polyvisor.access;

/**
 * What a route asks of its caller; each route declares exactly one (see {@code api.Route#permission}).
 * {@link Role#allows} is the one place that says which role holds which.
 */
public enum Permission {
    /** Read, with the answer limited to the caller's projects (any role). */
    READ,
    /** Act on VMs and other project objects, in the caller's projects only (operator, admin). */
    OPERATE,
    /** Everything else: users, projects, hosts, settings, cluster-wide views (admin only). */
    ADMIN
}
