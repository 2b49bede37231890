package io.polyvisor.coordination;

import io.polyvisor.model.Names;
import io.polyvisor.model.Vm;

/**
 * A coordination group: the VMs of one project labelled {@code group=NAME}. Groups of the same name in two projects
 * are two groups (members, keys, leases, messages): a VM coordinates only within its own project, and a guest of
 * another project that takes the same label reaches nothing of this one.
 *
 * <p>Stored under one key ({@link #key()}): the name alone in the default project, so groups made before projects
 * keep their data, and {@code PROJECT/NAME} in any other; a group name holds no '/', so the two forms never meet.
 * Messages and event subjects show the key.
 */
public record CoordGroup(String project, String name) {
    public CoordGroup {
        Names.requireName("project", project);
        CoordNames.group(name);
    }

    /** The group of {@code vm} under label {@code label}, which it must carry. */
    public static CoordGroup of(Vm vm, String label) {
        return new CoordGroup(vm.project(), vm.labels().get(label));
    }

    /** The group a stored key names: the inverse of {@link #key()}. */
    public static CoordGroup ofKey(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new CoordGroup(Vm.DEFAULT_PROJECT, key) : new CoordGroup(key.substring(0, slash), key.substring(slash + 1));
    }

    public String key() {
        return project.equals(Vm.DEFAULT_PROJECT) ? name : project + "/" + name;
    }

    /** Whether {@code vm} is labelled a member of this group (in its project), whatever its state. */
    public boolean labels(Vm vm, String label) {
        return project.equals(vm.project()) && name.equals(vm.labels().get(label));
    }

    @Override
    public String toString() {
        return key();
    }
}
