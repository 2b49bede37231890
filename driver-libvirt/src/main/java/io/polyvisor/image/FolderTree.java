package io.polyvisor.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lays the files out in a folder, for {@code mke2fs -d} to copy into a file system. Paths are relative and checked to
 * stay inside the folder. Device nodes are left out: the guest mounts devtmpfs.
 */
final class FolderTree implements FileTree {
    private final Path root;

    FolderTree(Path root) {
        this.root = root;
    }

    private Path at(String path) {
        var p = root.resolve(path).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("path " + path + " leaves " + root);
        return p;
    }

    @Override
    public void directory(String path, int mode) throws IOException {
        var p = Files.createDirectories(at(path));
        Files.setPosixFilePermissions(p, permissions(mode));
    }

    @Override
    public void file(String path, int mode, byte[] data) throws IOException {
        var p = at(path);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        Files.setPosixFilePermissions(p, permissions(mode));
    }

    @Override
    public void charDevice(String path, int mode, int major, int minor) {
        // devtmpfs provides them
    }

    static Set<PosixFilePermission> permissions(int mode) {
        var set = EnumSet.noneOf(PosixFilePermission.class);
        var all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) set.add(all[i]);
        return set;
    }
}
