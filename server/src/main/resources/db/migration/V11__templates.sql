-- VM templates (docs/STORAGE.md): a template's disk is an image that exists only in one host's pool.
-- host: null for an imported image (kept by the server in DATA/images); set for a template's image.
ALTER TABLE images ADD COLUMN host VARCHAR(63);

-- What each clone of a template gets; the template's disk is the image of the same name.
CREATE TABLE templates (
    name         VARCHAR(63)  NOT NULL,
    host         VARCHAR(63)  NOT NULL,
    source       VARCHAR(63)  NOT NULL,   -- the VM it was made from (for people)
    vcpus        INT          NOT NULL,
    memory_bytes BIGINT       NOT NULL,
    boot_type    VARCHAR(8)   NOT NULL,   -- none | kernel | disk, as in vms
    boot_kernel  VARCHAR(1024),
    boot_initrd  VARCHAR(1024),
    boot_cmdline VARCHAR(2048),
    boot_image   VARCHAR(1024),
    nics         VARCHAR      NOT NULL,   -- JSON, networks only (no MAC or address)
    expose_ports VARCHAR      NOT NULL,   -- JSON list of guest ports
    CONSTRAINT templates_pk PRIMARY KEY (name)
);
