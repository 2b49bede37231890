package io.polyvisor.api;

import io.javalin.http.Context;
import io.polyvisor.access.Owned;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Project ownership of networks, volumes, groups, templates and security groups, as routes apply it: a caller sees
 * (and, with {@link io.polyvisor.access.Permission#OPERATE}, changes) only the objects of its projects; anything else is
 * not found, exactly as if it did not exist; a VM uses only objects of its own project. Imported images belong to no
 * project: everyone reads them; a template's image is its template's project's ({@link #requireSeesImage}).
 */
public final class Owners {
    private final Store store;

    public Owners(Store store) {
        this.store = store;
    }

    /** The project a create asks for ({@code default} when null), after checking the caller may act in it. */
    public static String forCreate(Context ctx, String project) {
        String p = project == null ? Vm.DEFAULT_PROJECT : project;
        Caller.requireSees(ctx, p, "project " + p);
        return p;
    }

    /** The project of {@code kind}/{@code name}. */
    public String of(Owned kind, String name) {
        return store.owner(kind, name);
    }

    /** Refuses with {@code KIND NAME not found} (404) unless the caller sees the object's project. */
    public void requireSees(Context ctx, Owned kind, String name) {
        Caller.requireSees(ctx, of(kind, name), kind.noun() + " " + name);
    }

    /**
     * Refuses with {@code image NAME not found} (404), as for a missing image, when {@code image} is a template's disk and
     * the caller does not see that template's project; an imported image (or a missing one) passes, for the code that
     * reads it to find it or not.
     */
    public void requireSeesImage(Context ctx, String image) {
        if (store.template(image).isPresent()) Caller.requireSees(ctx, of(Owned.TEMPLATE, image), "image " + image);
    }

    /**
     * Whether {@code caller} sees image {@code i}: every imported image; a template's image (one with a host) if it sees
     * the template's project, looked up in {@code templateOwners} ({@link #all} of {@link Owned#TEMPLATE}).
     */
    public static boolean seesImage(io.polyvisor.access.Principal caller, io.polyvisor.disk.Image i, Map<String, String> templateOwners) {
        return i.host() == null || caller.sees(templateOwners.getOrDefault(i.name(), Vm.DEFAULT_PROJECT));
    }

    /** The project of every object of {@code kind} with one recorded, by name (others: {@code default}). */
    public Map<String, String> all(Owned kind) {
        return store.owners(kind);
    }

    /** Those of {@code items} (objects of {@code kind}, named by {@code name}) whose project the caller sees. */
    public <T> List<T> visible(Context ctx, Owned kind, List<T> items, Function<T, String> name) {
        var caller = Caller.of(ctx);
        Map<String, String> owners = store.owners(kind);
        return items.stream().filter(i -> caller.sees(owners.getOrDefault(name.apply(i), Vm.DEFAULT_PROJECT))).toList();
    }

    /**
     * Refuses (409) a VM of {@code vmProject} using {@code kind}/{@code name} when that object is in another project: a
     * project's VMs reach only its own networks and volumes. The message names only the VM's project.
     */
    public void requireIn(Owned kind, String name, String vmProject) {
        if (!of(kind, name).equals(vmProject)) {
            throw Refusal.conflict(kind.noun() + " " + name + " is not in project " + vmProject
                    + "; a VM uses only the networks, volumes and security groups of its own project");
        }
    }
}
