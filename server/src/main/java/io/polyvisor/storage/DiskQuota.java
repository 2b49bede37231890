package io.polyvisor.storage;

import io.polyvisor.access.Project;
import io.polyvisor.model.Refusal;
import io.polyvisor.store.Store;

/**
 * A project's disk quota: the sizes of its volumes may add up to at most its {@code disk} limit. Checked before a volume
 * is made or grown (volume create and resize, full clones) so that a refusal comes first, and again inside the
 * transaction that records it (the insert, or the new size before the host grows it), where reading the project takes
 * its row's lock: two servers sharing the database cannot both take the last room of a project.
 */
final class DiskQuota {
    private DiskQuota() {}

    /** Refuses (422 with the figures; 404 for an unknown project) unless {@code askedBytes} more fit in {@code project}. */
    static void admit(Store store, String project, long askedBytes) {
        Project p = store.project(project).orElseThrow(() -> Refusal.notFound("project " + project + " not found"));
        if (p.quota().diskBytes() == null) return;
        p.quota().diskExcess(store.projectUsage(project), askedBytes).ifPresent(x -> {
            throw Refusal.overQuota(x.message(project), x.figures(project));
        });
    }
}
