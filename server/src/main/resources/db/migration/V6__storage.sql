-- Storage (docs/STORAGE.md): imported images, volumes in the hosts' pools, and the disks of each VM.

-- Images: the file itself is kept in the server's data folder (DATA/images/NAME.FORMAT) and copied into the pool of
-- each host that makes a volume from it.
CREATE TABLE images (
    name         VARCHAR(63) NOT NULL,
    format       VARCHAR(8)  NOT NULL,   -- qcow2 | raw
    virtual_size BIGINT      NOT NULL,
    file_size    BIGINT      NOT NULL,
    CONSTRAINT images_pk PRIMARY KEY (name)
);

-- Volumes: qcow2 files in one host's pool. vm_id is the VM it is attached to (not a foreign key: the storage
-- feature detaches or deletes the volume once its VM is gone).
CREATE TABLE volumes (
    name           VARCHAR(63) NOT NULL,
    host           VARCHAR(63) NOT NULL,
    size_bytes     BIGINT      NOT NULL,
    image          VARCHAR(63),
    vm_id          UUID,
    delete_with_vm BOOLEAN     NOT NULL,
    CONSTRAINT volumes_pk PRIMARY KEY (name)
);
CREATE INDEX volumes_vm_idx ON volumes (vm_id);

-- A VM's disks, in guest order: JSON [{"volume": "web1-root", "bus": "virtio"}].
ALTER TABLE vms ADD COLUMN disks VARCHAR NOT NULL DEFAULT '[]';
