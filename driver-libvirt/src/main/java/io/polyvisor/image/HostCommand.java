package io.polyvisor.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program of the host (Debian tools: apt-get, apt-cache, dpkg-deb, ldd) with an argument list,
 * never through a shell, so paths and names are passed as they are.
 */
final class HostCommand {
    private HostCommand() {}

    /** Runs {@code command} in {@code dir}; returns its standard output, or throws with its standard error. */
    static String run(Path dir, List<String> command) {
        try {
            var pb = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile());
            var errFile = java.io.File.createTempFile("polyvisor-cmd", ".err");
            try {
                pb.redirectError(errFile);
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                var p = pb.start();
                var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new ImageKitException(String.join(" ", command) + " did not finish within 10 minutes");
                }
                if (p.exitValue() != 0) {
                    var err = java.nio.file.Files.readString(errFile.toPath()).strip();
                    throw new ImageKitException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + err);
                }
                return out;
            } finally {
                errFile.delete();
            }
        } catch (IOException e) {
            throw new ImageKitException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageKitException("interrupted while running " + command.get(0));
        }
    }
}
