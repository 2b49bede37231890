package io.polyvisor.image;

import java.io.IOException;

/** Where the tiny guest's files are laid out: a cpio archive ({@link CpioWriter}) or a folder ({@link FolderTree}). */
interface FileTree {
    void directory(String path, int mode) throws IOException;

    void file(String path, int mode, byte[] data) throws IOException;

    /** A character device node; a tree that cannot hold one (a folder written without root) may leave it out. */
    void charDevice(String path, int mode, int major, int minor) throws IOException;
}
