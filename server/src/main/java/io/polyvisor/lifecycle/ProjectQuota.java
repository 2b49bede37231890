package io.polyvisor.lifecycle;

import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.VmSpec;
import io.polyvisor.store.Store;


/** The quota check of a VM create: the project must exist and hold room for one more VM of the spec. */
final class ProjectQuota {
    private ProjectQuota() {}

    /**
     * Refuses (404 no such project, 422 over quota with the figures) unless a VM of {@code spec} fits in {@code project}.
     * Inside a transaction the project's row is locked until it ends, so check and insert are one step.
     */
    static void admit(Store store, String project, VmSpec spec) {
        Project p = store.project(project).orElseThrow(() -> Refusal.notFound("project " + project + " not found"));
        check(store, p, spec);
    }

    /**
     * {@link #admit} inside the create's transaction {@code tx}, without locking the project's row where nothing needs
     * it: project {@code default} cannot be deleted, so while it has no quota ({@code root}'s unlocked read) creates in
     * it are not serialized on its row. A quota set on it while such a create commits applies from the next create
     * (as if the create came first). Any other project, or a quota, takes the row's lock as {@link #admit} does.
     */
    static void admitInCreate(Store tx, Store root, String project, VmSpec spec) {
        if (project.equals(io.polyvisor.model.Vm.DEFAULT_PROJECT)
                && root.project(project).map(p -> p.quota().equals(Quota.NONE)).orElse(false)) return;
        admit(tx, project, spec);
    }

    private static void check(Store store, Project p, VmSpec spec) {
        String project = p.name();
        if (p.quota().equals(Quota.NONE)) return;
        p.quota().excess(store.projectUsage(project), spec).ifPresent(x -> {
            throw Refusal.overQuota(x.message(project), x.figures(project));
        });
    }
}
