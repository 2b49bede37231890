-- Guest coordination (docs/COORDINATION.md): per-group key-value store and leases with fencing tokens, and the
-- per-VM credentials guests call with. A group is the value of a VM's label group=NAME.

-- One row per group: its revision, +1 per key-value write. Writers lock this row first (UPDATE), so a group's
-- writes are serialized and every read after the lock sees the last committed write: compare-and-set is linearizable.
CREATE TABLE coord_groups (
    group_name VARCHAR(63) NOT NULL,
    revision   BIGINT      NOT NULL,
    CONSTRAINT coord_groups_pk PRIMARY KEY (group_name)
);

-- Keys; a delete leaves a tombstone (value null) with the delete's revision, for watches.
CREATE TABLE coord_kv (
    group_name VARCHAR(63)  NOT NULL,
    kv_key     VARCHAR(256) NOT NULL,
    kv_value   VARCHAR,
    revision   BIGINT       NOT NULL,
    CONSTRAINT coord_kv_pk PRIMARY KEY (group_name, kv_key)
);

-- Leases. The row stays after release: token is the last fencing token issued for the name, never reused.
CREATE TABLE coord_leases (
    group_name  VARCHAR(63) NOT NULL,
    lease_name  VARCHAR(63) NOT NULL,
    holder      UUID,                     -- null when free
    holder_name VARCHAR(63),
    holder_host VARCHAR(63),              -- the holder's host at its last acquire or renew
    token       BIGINT      NOT NULL,
    ttl_s       INTEGER     NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT coord_leases_pk PRIMARY KEY (group_name, lease_name)
);

-- A VM's coordination credential: the SHA-256 of a random 256-bit token, never the token itself.
CREATE TABLE coord_tokens (
    vm_id      UUID        NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    CONSTRAINT coord_tokens_pk PRIMARY KEY (vm_id),
    CONSTRAINT coord_tokens_hash_unique UNIQUE (token_hash),
    CONSTRAINT coord_tokens_vm_fk FOREIGN KEY (vm_id) REFERENCES vms (id) ON DELETE CASCADE
);
