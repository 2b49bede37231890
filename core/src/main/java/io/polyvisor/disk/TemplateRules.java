package io.polyvisor.disk;

import java.util.Optional;

/** Whether a VM may be made a template: the reason to refuse, or empty. Pure. */
public final class TemplateRules {
    private TemplateRules() {}

    /**
     * The VM must be stopped (its disk does not change during the copy) and have exactly one disk, its root: a template
     * is one disk image with the VM's size and boot.
     */
    public static Optional<String> refusal(String vm, boolean stopped, String state, int disks) {
        if (disks == 0) return Optional.of("vm " + vm + " has no disks to make a template of");
        if (disks > 1) {
            return Optional.of("vm " + vm + " has " + disks + " disks; a template is made from a VM with one disk (its root)");
        }
        if (!stopped) return Optional.of("vm " + vm + " is " + state + "; it must be stopped to be made a template");
        return Optional.empty();
    }
}
