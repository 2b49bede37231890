package io.polyvisor.ha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * Whether a fence agent program may be run by the server, in the spirit of OpenSSH's StrictModes: its real path (links
 * resolved) is a regular file owned by root or by the server's user and writable by no one else (group root aside), and
 * so is every directory above it, except that a root-owned sticky directory (such as /tmp) may be world-writable. A program that
 * another local user could replace would otherwise run with the server's rights whenever a host is fenced.
 */
final class AgentTrust {
    private AgentTrust() {}

    /** Why {@code program} must not be run, or empty when it may be. */
    static Optional<String> refusal(Path program) {
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            return Optional.of("fence agent " + program + " does not exist");
        }
        String me = System.getProperty("user.name");
        try {
            var file = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!file.isRegularFile()) return Optional.of("fence agent " + real + " is not a regular file");
            if (!Files.isExecutable(real)) return Optional.of("fence agent " + real + " is not executable");
            var why = unsafe(real, file, me, false);
            if (why != null) return Optional.of(why);
            for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
                why = unsafe(dir, Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS), me, true);
                if (why != null) return Optional.of(why);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("fence agent " + real + ": cannot check who may change it (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private static String unsafe(Path p, PosixFileAttributes a, String me, boolean directory) {
        String owner = a.owner().getName();
        if (!owner.equals("root") && !owner.equals(me)) {
            return "fence agent " + (directory ? "folder " : "") + p + " is owned by " + owner + ", not root or " + me;
        }
        var perms = a.permissions();
        // group root's members are as trusted as root (a umask of 002 leaves root's files group-writable)
        boolean groupWrite = perms.contains(PosixFilePermission.GROUP_WRITE) && !a.group().getName().equals("root");
        boolean othersWrite = groupWrite || perms.contains(PosixFilePermission.OTHERS_WRITE);
        if (!othersWrite) return null;
        if (directory && owner.equals("root") && sticky(p)) return null;
        return "fence agent " + (directory ? "folder " : "") + p + " is writable by its group or by others";
    }

    /** The sticky bit (not in PosixFilePermission): only a file's owner may remove or rename it in such a folder. */
    private static boolean sticky(Path dir) {
        try {
            Object mode = Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
