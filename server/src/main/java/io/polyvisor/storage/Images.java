package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.events.Journal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Imported images. The server keeps its own copy of each ({@code DATA/images/NAME.FORMAT}): the import copies the file
 * first and checks the copy (so the file checked is the file kept), then records it. A host gets the image in its pool
 * the first time a volume is made from it there ({@link #ensureOn}), through the driver (libvirt: an upload stream).
 */
final class Images {
    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;
    private final Path dir;

    Images(Store store, Journal journal, HostStorage hosts, Path dataDir) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
        this.dir = dataDir.resolve("images");
    }

    /** Validates everything, then copies, checks with qemu-img and records; on any refusal nothing is left behind. */
    synchronized Image importFile(String name, String file, String format) {
        StorageNames.image(name);
        InvalidInput.require(file != null, "file is required");
        ImageFormat declared = ImageFormat.parse(format);
        Path source = ImportPaths.check(file);
        if (store.image(name).isPresent()) throw Refusal.conflict("an image named " + name + " already exists");
        Path partial = dir.resolve("." + name + ".partial");
        Path kept = file(name, declared);
        try {
            Files.createDirectories(dir);
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            var facts = QemuImg.info(name, partial);
            ImageRules.refusal(name, declared, facts).ifPresent(reason -> {
                throw new InvalidInput(reason);
            });
            var image = new Image(name, declared, facts.virtualSize(), Files.size(partial));
            Files.move(partial, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try {
                store.inTransaction(tx -> {
                    tx.insertImage(image);
                    journal.record(tx, StorageEvent.IMAGE_IMPORTED, name, "image " + name + " imported (" + declared.label() + ", "
                            + Sizes.format(image.virtualSize()) + ")");
                    return null;
                });
            } catch (RuntimeException e) {
                Files.deleteIfExists(kept);
                throw e;
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + dir, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover partial copy is replaced by the next import of that name
            }
        }
    }

    Image find(String name) {
        return store.image(StorageNames.image(name)).orElseThrow(() -> Refusal.notFound("image " + name + " not found"));
    }

    List<Image> all() {
        return store.images();
    }

    /**
     * Refused while a volume is made from it; removes the copies in the hosts' pools and the shared pools that can be reached. A template's
     * image is deleted with its template (from its one host).
     */
    synchronized void delete(String name) {
        Image image = find(name);
        StorageRules.deleteImage(name, store.volumes()).ifPresent(reason -> {
            throw Refusal.conflict(reason);
        });
        for (var host : store.hosts()) {
            if (image.host() != null && !image.host().equals(host.name())) continue;
            try {
                hosts.run(host.name(), "delete image " + name, s -> s.deleteImage(name));
            } catch (Refusal unreachableOrNoPool) {
                // its copy (if any) stays in that pool, unused: nothing can make a volume from a deleted image
            }
        }
        for (var pool : image.host() != null ? java.util.List.<io.polyvisor.disk.SharedPool>of() : store.pools()) {
            try {
                hosts.shared(pool, null, "delete image " + name, s -> {
                    s.deleteImage(name);
                    return null;
                });
            } catch (Refusal unreachableOrNoPool) {
                // as above
            }
        }
        boolean template = image.host() != null;
        store.inTransaction(tx -> {
            tx.deleteImage(name);
            if (template) tx.deleteTemplate(name);
            journal.record(tx, template ? StorageEvent.TEMPLATE_DELETED : StorageEvent.IMAGE_DELETED, name,
                    (template ? "template " : "image ") + name + " deleted");
            return null;
        });
        if (template) return;
        try {
            Files.deleteIfExists(file(name, image.format()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the image into {@code host}'s pool unless it is there already. A template's image is only ever in its own
     * host's pool (callers place volumes over it there: {@link StorageRules#placeOver}).
     */
    void ensureOn(String host, Image image) {
        if (image.host() != null) {
            if (!image.host().equals(host)) throw new IllegalStateException("template image " + image.name() + " asked on host " + host);
            return;
        }
        hosts.run(host, "copy image " + image.name(), s -> ensureIn(s, image));
    }

    /** Copies an imported image into the pool {@code s} unless it is there (a template's image is where it is). */
    void ensureIn(io.polyvisor.spi.Storage s, Image image) {
        if (image.host() != null) return;
        if (!s.hasImage(image.name())) s.putImage(image.name(), image.format().label(), file(image.name(), image.format()));
    }

    private Path file(String name, ImageFormat format) {
        return dir.resolve(name + "." + format.label());
    }
}
