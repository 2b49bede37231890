package io.polyvisor.disk;

import io.polyvisor.model.Names;

/**
 * Names of volumes, images and snapshots: the same safe alphabet as VM names (a-z, 0-9, '-'), so they can be used as
 * file names in a pool, libvirt volume names and URL segments without escaping, and can never hold a path.
 */
public final class StorageNames {
    private StorageNames() {}

    public static String volume(String name) {
        return Names.requireName("volume", name);
    }

    public static String image(String name) {
        return Names.requireName("image", name);
    }

    /** A template's name is also its image's name. */
    public static String template(String name) {
        return Names.requireName("template", name);
    }

    /**
     * A shared pool's name: the VM name alphabet, at most {@value SharedPool#MAX_NAME} characters, so the host label
     * that declares it ({@link SharedPool#LABEL_PREFIX}NAME) is a valid label key.
     */
    public static String pool(String name) {
        Names.requireName("pool", name);
        if (name.length() > SharedPool.MAX_NAME) {
            throw new io.polyvisor.model.InvalidInput("pool name must be at most " + SharedPool.MAX_NAME + " characters, got " + name.length());
        }
        if (name.equals(SharedPool.LOCAL)) {
            throw new io.polyvisor.model.InvalidInput("pool name " + SharedPool.LOCAL + " is every host's local pool; choose another name");
        }
        return name;
    }

    public static String snapshot(String name) {
        return Names.requireName("snapshot", name);
    }
}
