-- Shared storage pools (docs/STORAGE.md): a directory several hosts mount at the same path. pool_hosts says which
-- hosts declare each pool; a volume in one has its pool's name in volumes.pool (null: its host's local pool).
CREATE TABLE pools (
    name VARCHAR(63)   NOT NULL,
    path VARCHAR(1024) NOT NULL,
    CONSTRAINT pools_pk PRIMARY KEY (name)
);
CREATE TABLE pool_hosts (
    pool VARCHAR(63) NOT NULL,
    host VARCHAR(63) NOT NULL,
    CONSTRAINT pool_hosts_pk PRIMARY KEY (pool, host)
);
CREATE INDEX pool_hosts_host_idx ON pool_hosts (host);
ALTER TABLE volumes ADD COLUMN pool VARCHAR(63);
