package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of a new, empty qcow2 volume: what {@code qemu-img create -f qcow2 [-F FORMAT -b BACKING] SIZE} writes.
 * They depend only on size, backing path and backing format (qcow2 headers hold no name or time), so each is made once
 * here, by the local {@code qemu-img} with {@code -u} (the backing file is the host's, not opened here), and then
 * uploaded as each new volume's content: a linked clone costs the host no {@code qemu-img} process. Kept for the
 * {@value #KEPT} most recent kinds; thread-safe.
 */
final class OverlaySeeds {
    static final int KEPT = 32;

    /** @param backingPath the backing file as the host sees it, or null for an empty volume */
    record Kind(long sizeBytes, String backingPath, String backingFormat) {}

    private final Map<Kind, byte[]> seeds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Kind, byte[]> eldest) {
            return size() > KEPT;
        }
    };

    synchronized byte[] of(Kind kind) {
        byte[] seed = seeds.get(kind);
        if (seed == null) {
            seed = make(kind);
            seeds.put(kind, seed);
        }
        return seed;
    }

    private static byte[] make(Kind kind) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("polyvisor-seed", ".qcow2");
            var cmd = new java.util.ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2"));
            if (kind.backingPath() != null) cmd.addAll(List.of("-u", "-F", kind.backingFormat(), "-b", kind.backingPath()));
            cmd.addAll(List.of(tmp.toString(), Long.toString(kind.sizeBytes())));
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DriverException("qemu-img create did not finish within 60 s");
            }
            if (p.exitValue() != 0) throw new DriverException("qemu-img create failed (exit " + p.exitValue() + "): " + out);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new DriverException("cannot run qemu-img to make a volume: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while making a volume");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }
}
