package io.polyvisor.access;

import io.polyvisor.model.InvalidInput;

import java.util.Set;

/**
 * Who is calling: a user (or the bootstrap admin of the data folder's token), its role and the projects it may see
 * and act in. An admin sees every project whatever {@code projects} holds.
 */
public record Principal(String name, Role role, Set<String> projects) {
    /** The holder of {@code DATA/admin.token}. */
    public static final Principal BOOTSTRAP_ADMIN = new Principal("admin", Role.ADMIN, Set.of());

    public Principal {
        InvalidInput.require(name != null && !name.isBlank(), "principal name is required");
        InvalidInput.require(role != null, "principal role is required");
        projects = projects == null ? Set.of() : Set.copyOf(projects);
    }

    /** Whether this principal may see objects of {@code project}. */
    public boolean sees(String project) {
        return role == Role.ADMIN || projects.contains(project);
    }

    public boolean allows(Permission p) {
        return role.allows(p);
    }
}
