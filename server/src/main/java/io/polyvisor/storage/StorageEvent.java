package io.polyvisor.storage;

import io.polyvisor.events.EventType;

/** What storage records. */
public enum StorageEvent implements EventType {
    IMAGE_IMPORTED("image.imported"),
    IMAGE_DELETED("image.deleted"),
    VOLUME_CREATED("volume.created"),
    VOLUME_RESIZED("volume.resized"),
    VOLUME_DELETED("volume.deleted"),
    /** A volume became a disk of a VM ({@code vm attach-disk}). */
    VOLUME_ATTACHED("volume.attached"),
    /** A volume was detached from its VM ({@code vm detach-disk}), or its VM is gone (a volume made with it is deleted). */
    VOLUME_DETACHED("volume.detached"),
    /** Its VM was live-migrated with its disks: the volume is now in the destination's pool. */
    VOLUME_MOVED("volume.moved"),
    /** A shared pool was declared on hosts that mount its directory. */
    POOL_CREATED("pool.created"),
    /** A shared pool was declared on one more host, or taken off one. */
    POOL_CHANGED("pool.changed"),
    POOL_DELETED("pool.deleted"),
    /** A template (its image in its host's pool) was made from a stopped VM. */
    TEMPLATE_CREATED("template.created"),
    TEMPLATE_DELETED("template.deleted"),
    SNAPSHOT_CREATED("snapshot.created"),
    SNAPSHOT_REVERTED("snapshot.reverted"),
    SNAPSHOT_DELETED("snapshot.deleted");

    private final String wireName;

    StorageEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
