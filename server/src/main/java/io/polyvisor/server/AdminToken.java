package io.polyvisor.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The admin bearer token: 32 random bytes, base64url, in {@code DATA/admin.token} with mode 0600.
 * Created on first start and reused after. Never logged.
 */
final class AdminToken {
    static final String FILE = "admin.token";

    private AdminToken() {}

    /** Reads the token in {@code dataDir}, creating it (owner-only) if absent. */
    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) create(file);
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.length() < 32) throw new IllegalStateException(file + " holds no usable token; delete it to get a new one");
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                // created with 0600 from the start: there is no moment at which others could read it
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return; // another process created it first: use theirs
        }
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
    }
}
