package io.polyvisor.access;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user of the API, without its credential (the store keeps only the token's SHA-256, next to this).
 *
 * @param expires when the token stops working, or null for never
 * @param revoked when the user was revoked, or null: a revoked user's token never works again (rotate refuses it)
 */
public record User(String name, Role role, Set<String> projects, Instant created, Instant expires, Instant revoked) {
    public User {
        Names.requireName("user", name);
        InvalidInput.require(!name.equals(Principal.BOOTSTRAP_ADMIN.name()), "user name admin is the bootstrap admin's; pick another");
        InvalidInput.require(role != null, "role is required");
        projects = projects == null ? Set.of() : Set.copyOf(new TreeSet<>(projects));
        projects.forEach(p -> Names.requireName("project", p));
        InvalidInput.require(role == Role.ADMIN || !projects.isEmpty(), "a " + role.label() + " needs at least one project (--project)");
        InvalidInput.require(created != null, "created is required");
    }

    /** Whether the token works at {@code now}: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revoked == null && (expires == null || now.isBefore(expires));
    }

    public Principal principal() {
        return new Principal(name, role, projects);
    }

    public User withToken(Instant nextExpires) {
        return new User(name, role, projects, created, nextExpires, revoked);
    }

    public User revokedAt(Instant at) {
        return new User(name, role, projects, created, expires, at);
    }
}
