package io.polyvisor.access;

import io.polyvisor.model.Names;

/** A project: VMs belong to exactly one; users see and act in theirs. {@link #DEFAULT} always exists at first. */
public record Project(String name, Quota quota) {
    public static final String DEFAULT = "default";

    public Project {
        Names.requireName("project", name);
        quota = quota == null ? Quota.NONE : quota;
    }
}
