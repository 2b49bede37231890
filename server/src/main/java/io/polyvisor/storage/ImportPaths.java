package io.polyvisor.storage;

import io.polyvisor.volumes.*;
import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which files of the server's machine may be imported as images: regular files under one of {@link #ROOTS}, checked on
 * their real path (links resolved), so an import cannot read {@code /etc/shadow} through a link in {@code /tmp}.
 */
final class ImportPaths {
    static final List<String> ROOTS = List.of("/var/lib/polyvisor", "/srv", "/var/tmp", "/tmp");

    private ImportPaths() {}

    /** The real path of {@code file}, or invalid input saying why it cannot be imported. */
    static Path check(String file) {
        Boot.requirePath("file", file);
        Path real;
        try {
            real = Path.of(file).toRealPath();
        } catch (IOException e) {
            throw new InvalidInput("file '" + file + "' does not exist on the server's machine");
        }
        InvalidInput.require(Files.isRegularFile(real), "file '" + file + "' is not a regular file");
        for (String root : ROOTS) {
            for (String r : realRoots(root)) {
                if (real.toString().startsWith(r + "/")) return real;
            }
        }
        throw new InvalidInput("file must be under one of " + String.join(", ", ROOTS) + ", got '" + file + "'"
                + (real.toString().equals(file) ? "" : " (it resolves to '" + real + "')"));
    }

    private static List<String> realRoots(String root) {
        try {
            String real = Path.of(root).toRealPath().toString();
            return real.equals(root) ? List.of(root) : List.of(root, real);
        } catch (IOException e) {
            return List.of(root);
        }
    }
}
