package io.polyvisor.lifecycle;

import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.VmSpec;
import io.polyvisor.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;

/** The quota check of a VM create: the project must exist and hold room for one more VM of the spec. */
final class ProjectQuota {
    private ProjectQuota() {}

    /**
     * Refuses (404 no such project, 422 over quota with the figures) unless a VM of {@code spec} fits in {@code project}.
     * Inside a transaction the project's row is locked until it ends, so check and insert are one step.
     */
    static void admit(Store store, String project, VmSpec spec) {
        Project p = store.project(project).orElseThrow(() -> Refusal.notFound("project " + project + " not found"));
        if (p.quota().equals(Quota.NONE)) return;
        p.quota().excess(store.projectUsage(project), spec).ifPresent(x -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("project", project);
            figures.put("resource", x.resource());
            figures.put("used", x.used());
            figures.put("asked", x.asked());
            figures.put("limit", x.limit());
            throw Refusal.overQuota(x.message(project), figures);
        });
    }
}
