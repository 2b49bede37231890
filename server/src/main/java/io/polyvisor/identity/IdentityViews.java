package io.polyvisor.identity;

import io.polyvisor.access.AuditEntry;
import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.access.Role;
import io.polyvisor.access.User;
import io.polyvisor.api.Nullable;

import java.time.Instant;
import java.util.List;

/** The JSON of users, projects and the audit journal. */
final class IdentityViews {
    private IdentityViews() {}

    /** A user; {@code state} is active, expired or revoked. The token is never part of it. */
    record UserView(String name, Role role, List<String> projects, Instant created, @Nullable Instant expires,
                    @Nullable Instant revoked, String state) {}

    /** What creating or rotating answers: the user and its new token, shown this once. */
    record UserTokenView(UserView user, String token) {}

    /** Who is calling. */
    record PrincipalView(String name, Role role, List<String> projects) {}

    /** A project's limits (null: none) and what its VMs not deleted hold. */
    record ProjectView(String name, ProjectLimitsView quota, ProjectUsageView usage) {}

    record ProjectLimitsView(@Nullable Integer vcpus, @Nullable Long memoryBytes, @Nullable Integer vms, @Nullable Long diskBytes) {}

    /** @param diskBytes the sizes of the project's volumes, added up */
    record ProjectUsageView(long vcpus, long memoryBytes, long vms, long diskBytes) {}

    record AuditEntryView(long seq, Instant at, String actor, @Nullable String role, String method, String path, int status) {}

    static UserView user(User u, Instant now) {
        String state = u.revoked() != null ? "revoked" : u.activeAt(now) ? "active" : "expired";
        return new UserView(u.name(), u.role(), List.copyOf(new java.util.TreeSet<>(u.projects())), u.created(), u.expires(),
                u.revoked(), state);
    }

    static ProjectView project(Project p, Quota.Usage used) {
        Quota q = p.quota();
        return new ProjectView(p.name(), new ProjectLimitsView(q.vcpus(), q.memoryBytes(), q.vms(), q.diskBytes()),
                new ProjectUsageView(used.vcpus(), used.memoryBytes(), used.vms(), used.diskBytes()));
    }

    static AuditEntryView audit(AuditEntry e) {
        return new AuditEntryView(e.seq(), e.at(), e.actor(), e.role(), e.method(), e.path(), e.status());
    }
}
