package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.VmDisks;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Names;
import io.polyvisor.model.Priority;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Storage;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.function.Supplier;

/**
 * Templates and linked clones (docs/STORAGE.md). {@code vm template SRC NAME} makes image {@code NAME} in SRC's host's
 * pool, a self-contained copy of SRC's root volume ({@link Storage#imageFromVolume}), and records it with SRC's size
 * and boot: the template never changes again, whatever SRC does next. A linked clone is an ordinary VM create from that
 * image on that host ({@code vm create --image}): its root volume {@code NEW-root} is copy-on-write over the template's
 * image and deleted with the clone; the template cannot be deleted while a clone's volume uses it.
 */
final class Templates {
    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;
    private final Supplier<VmRequests> requests;

    Templates(Store store, Journal journal, HostStorage hosts, Supplier<VmRequests> requests) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
        this.requests = requests;
    }

    /**
     * Validates everything first; then the host makes the image; then image, template and its owner {@code project} are
     * recorded in one transaction.
     */
    synchronized Template make(Vm src, String name, String project) {
        StorageNames.template(name);
        TemplateRules.refusal(src.name(), src.state() instanceof VmState.Stopped, src.state().label(), src.spec().disks().size())
                .ifPresent(reason -> {
                    throw Refusal.conflict(reason);
                });
        if (store.image(name).isPresent()) throw Refusal.conflict("an image named " + name + " already exists (a template's disk is an image of its name)");
        Volume root = store.volume(src.spec().disks().getFirst().volume())
                .orElseThrow(() -> Refusal.notFound("volume " + src.spec().disks().getFirst().volume() + " not found"));
        if (root.shared()) {
            throw Refusal.conflict("vm " + src.name() + "'s disk " + root.name() + " is in shared pool " + root.pool()
                    + "; templates are made from disks in a host's local pool");
        }
        hosts.run(root.host(), "make template " + name + " from volume " + root.name(), s -> s.imageFromVolume(root.name(), name));
        // file size 0: the server keeps no file of a template's image, and a volume over it never copies one to a pool
        var image = new Image(name, ImageFormat.QCOW2, root.sizeBytes(), 0, root.host());
        var template = new Template(name, root.host(), src.name(), Template.specOf(src.spec()));
        try {
            store.inTransaction(tx -> {
                tx.insertImage(image);
                tx.insertTemplate(template);
                tx.setOwner(io.polyvisor.access.Owned.TEMPLATE, name, project);
                journal.record(tx, StorageEvent.TEMPLATE_CREATED, name, "template " + name + " made from vm " + src.name() + " on host "
                        + root.host() + " (" + Sizes.format(root.sizeBytes()) + " disk, project " + project + ")");
                return null;
            });
        } catch (RuntimeException e) {
            try {
                hosts.run(root.host(), "delete image " + name, s -> s.deleteImage(name));
            } catch (Refusal unreachable) {
                // an unrecorded image file stays in the pool; a template of that name made later reuses it (idempotent)
            }
            throw e;
        }
        return template;
    }

    Template find(String name) {
        return store.template(StorageNames.template(name)).orElseThrow(() -> Refusal.notFound("template " + name + " not found"));
    }

    List<Template> all() {
        return store.templates();
    }

    /** The project that owns {@code t}. */
    String project(Template t) {
        return store.owner(io.polyvisor.access.Owned.TEMPLATE, t.name());
    }

    /**
     * A linked clone: a VM create with the template's spec, pinned to its host, whose root volume is copy-on-write over
     * the template's image.
     */
    VmRequests.Accepted cloneLinked(Template t, String name, boolean start, String project) {
        Names.requireName("VM", name);
        return requests.get().create(new VmRequests.Create(name, t.spec(), null, null, Priority.MEDIUM, t.host(), start, project,
                new VmDisks.Request(t.name(), null, List.of())));
    }
}
