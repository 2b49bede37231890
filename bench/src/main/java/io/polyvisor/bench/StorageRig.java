package io.polyvisor.bench;

import io.polyvisor.image.TinyDisk;
import io.polyvisor.libvirt.DirectLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The operations {@link StorageBench} times, each done directly (qemu-img, libvirt) and through Polyvisor's REST API,
 * on host h1 (template, clones, boots) and h2 (migration destination). Template {@value #TEMPLATE} is made once through
 * Polyvisor from a stopped VM over the tiny guest's disk; the direct clones use its very file in h1's pool.
 */
final class StorageRig {
    static final String TEMPLATE = "tpl";
    private static final Duration BOOT = Duration.ofSeconds(180);

    /** A host's pool folder as its libvirtd and QEMU see it ({@code inside}) and as this process sees it. */
    record Pool(String inside, Path outside) {}

    private final BenchApi api;
    private final TaskWatch watch;
    private final DirectLifecycle h1;
    private final DirectLifecycle h2;
    private final Pool pool1;
    private final Pool pool2;
    private final TinyDisk tiny;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, UUID> directIds = new ConcurrentHashMap<>();

    StorageRig(BenchApi api, TaskWatch watch, DirectLifecycle h1, DirectLifecycle h2, Pool pool1, Pool pool2, TinyDisk tiny) {
        this.api = api;
        this.watch = watch;
        this.h1 = h1;
        this.h2 = h2;
        this.pool1 = pool1;
        this.pool2 = pool2;
        this.tiny = tiny;
    }

    /** Imports the tiny guest's disk, makes VM {@code gold} over it (stopped) on h1 and template {@value #TEMPLATE} of it. */
    void template() {
        BenchApi.ok(api.post("/api/v1/images", Map.of("name", "tiny", "file", tiny.disk().toString(), "format", "qcow2")), 201);
        var boot = tiny.boot();
        var done = watch.expect("create", "gold");
        BenchApi.ok(api.post("/api/v1/vms", Map.of("name", "gold", "memory", "128M", "host", "h1", "start", false, "image", "tiny",
                "disk_size", "128M", "boot", Map.of("kernel", boot.kernel().toString(), "initrd", boot.initrd().toString(),
                        "cmdline", TinyDisk.CMDLINE))), 202);
        await(done, "create gold");
        BenchApi.ok(api.post("/api/v1/vms/gold/template", Map.of("name", TEMPLATE)), 201);
        if (!Files.isRegularFile(pool1.outside.resolve(TEMPLATE + ".base.qcow2"))) {
            throw new IllegalStateException("the template's image is not in h1's pool at " + pool1.outside);
        }
    }

    double timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---- linked clones -----------------------------------------------------------------------------------------

    /** {@code qemu-img create -b} over the template's file in h1's pool, then {@code virDomainDefineXML} over it. */
    void directClone(String name) {
        qemuImgOverTemplate(name);
        UUID id = UUID.randomUUID();
        h1.defineOverFiles(id, name, StorageBench.diskSpec(tiny, name, List.of()), pool1.inside);
        directIds.put(name, id);
    }

    void polyvisorClone(String name) {
        var done = watch.expect("create", name);
        BenchApi.ok(api.post("/api/v1/templates/" + TEMPLATE + "/clones", Map.of("name", name, "start", false)), 202);
        await(done, "linked clone " + name);
    }

    void deleteDirect(String name) {
        h1.destroyAndUndefine(directIds.remove(name));
        deleteFile(pool1.outside.resolve(name + ".qcow2"));
    }

    void deletePolyvisor(String name) {
        var done = watch.expect("delete", name);
        BenchApi.ok(api.delete("/api/v1/vms/" + name), 202);
        await(done, "delete " + name);
    }

    private void qemuImgOverTemplate(String volume) {
        // the backing file is named relative to the new file's folder, as libvirt and QEMU on the host resolve it
        run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", TEMPLATE + ".base.qcow2",
                pool1.outside.resolve(volume + ".qcow2").toString(), Long.toString(StorageBench.DISK)));
    }

    // ---- boot from disk and block migration --------------------------------------------------------------------

    UUID prepareDirectBoot(String volume) {
        qemuImgOverTemplate(volume);
        return UUID.randomUUID();
    }

    void preparePolyvisorBoot(String volume) {
        BenchApi.ok(api.post("/api/v1/volumes", Map.of("name", volume, "image", TEMPLATE, "host", "h1")), 201);
    }

    /** Define over the file, start, forward port 80 as the driver does, until the guest answers from its disk. */
    void directBoot(UUID id, String volume) {
        h1.defineOverFiles(id, volume, StorageBench.diskSpec(tiny, volume, List.of(80)), pool1.inside);
        h1.start(id);
        int port = freePort();
        h1.forward(id, port, 80);
        StorageBench.awaitNote(http, "127.0.0.1:" + port, BOOT);
    }

    /** The VM {@code NAME-vm} over volume {@code NAME}, port 80 exposed, until the guest answers from its disk. */
    void polyvisorBoot(String volume) {
        String vm = volume + "-vm";
        var done = watch.expect("create", vm);
        var boot = tiny.boot();
        BenchApi.ok(api.post("/api/v1/vms", Map.of("name", vm, "memory", "128M", "host", "h1", "disks", List.of(volume),
                "expose", List.of(80), "boot", Map.of("kernel", boot.kernel().toString(), "initrd", boot.initrd().toString(),
                        "cmdline", TinyDisk.CMDLINE))), 202);
        await(done, "create " + vm);
        StorageBench.awaitNote(http, endpoint(vm), BOOT);
    }

    /** libvirt's block live migration to h2, then the source's file deleted (Polyvisor's driver deletes its volume too). */
    void directMigrate(UUID id, String volume) {
        h1.migrateWithDisks(id, h2);
        deleteFile(pool1.outside.resolve(volume + ".qcow2"));
    }

    void polyvisorMigrate(String volume) {
        String vm = volume + "-vm";
        var done = watch.expect("migrate", vm);
        BenchApi.ok(api.post("/api/v1/vms/" + vm + "/migrate", Map.of("to", "h2")), 202);
        await(done, "migrate " + vm);
    }

    /** The guest runs on h2 and answers its note from the copied disk (a forward added again there: it is not migrated). */
    void checkDirectMoved(UUID id) {
        int port = freePort();
        h2.forward(id, port, 80);
        StorageBench.awaitNote(http, "127.0.0.1:" + port, Duration.ofSeconds(30));
    }

    void checkPolyvisorMoved(String volume) {
        String vm = volume + "-vm";
        var v = api.get("/api/v1/vms/" + vm);
        if (!v.path("host").asText().equals("h2")) throw new IllegalStateException("vm " + vm + " is not on h2 after its migration: " + v);
        StorageBench.awaitNote(http, endpoint(vm), Duration.ofSeconds(30));
    }

    void cleanUpBoot(UUID id, String directVolume, String pvVolume) {
        h2.destroyAndUndefine(id);
        if (!h2.deletePoolFile(pool2.inside + "/" + directVolume + ".qcow2")) deleteFile(pool2.outside.resolve(directVolume + ".qcow2"));
        String vm = pvVolume + "-vm";
        deletePolyvisor(vm);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!api.get("/api/v1/volumes/" + pvVolume).path("vm").isNull()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("volume " + pvVolume + " still attached 60 s after its VM was deleted");
            BenchApi.pause(100);
        }
        BenchApi.ok(api.delete("/api/v1/volumes/" + pvVolume), 204);
    }

    private String endpoint(String vm) {
        var eps = api.get("/api/v1/vms/" + vm).path("endpoints");
        if (eps.isEmpty()) throw new IllegalStateException("vm " + vm + " has no endpoint");
        return eps.get(0).path("address").asText();
    }

    private static void await(java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode> done, String what) {
        try {
            TaskWatch.await(done, what, 300);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + ": " + e, e);
        }
    }

    private static int freePort() {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteFile(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
