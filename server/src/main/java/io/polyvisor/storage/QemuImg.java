package io.polyvisor.storage;

import io.polyvisor.volumes.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.model.InvalidInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qemu-img info --output=json -U FILE} on this machine: what the file really is. The format is probed (that is
 * the point: the import compares it with what the user declared); {@code qemu-img info} does not open backing files,
 * it reports them. The file is always an absolute path of the server's own copy, so no {@code json:} pseudo-file
 * name can reach QEMU.
 */
final class QemuImg {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QemuImg() {}

    static ImageFacts info(String name, Path file) {
        if (!file.isAbsolute()) throw new IllegalArgumentException("not absolute: " + file);
        var out = run(name, List.of("qemu-img", "info", "--output=json", "-U", file.toString()));
        try {
            JsonNode j = MAPPER.readTree(out);
            return new ImageFacts(j.path("format").asText(null), j.path("virtual-size").asLong(0),
                    text(j.get("backing-filename")), text(j.path("format-specific").path("data").get("data-file")));
        } catch (IOException e) {
            throw new InvalidInput("image " + name + " could not be read by qemu-img");
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String run(String name, List<String> command) {
        try {
            var err = Files.createTempFile("polyvisor-qemu-img", ".err");
            try {
                var p = new ProcessBuilder(command).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("qemu-img info did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new InvalidInput("image " + name + " is not a disk image qemu-img can read");
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run qemu-img (install qemu-utils): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running qemu-img", e);
        }
    }
}
