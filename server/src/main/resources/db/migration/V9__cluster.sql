-- Several servers on one database (docs/CLUSTER.md). Expiry and heartbeats are the database's clock, never a
-- server's: every comparison is made in SQL against the database's own time.
CREATE TABLE servers (
    name      VARCHAR(63)  NOT NULL PRIMARY KEY,
    instance  VARCHAR(36)  NOT NULL,
    address   VARCHAR(255) NOT NULL,
    started   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat TIMESTAMP WITH TIME ZONE NOT NULL,
    epoch     BIGINT       NOT NULL
);

-- 'leader' and 'host:NAME'. epoch grows at every acquisition, never at a renewal.
CREATE TABLE cluster_leases (
    name    VARCHAR(80) NOT NULL PRIMARY KEY,
    owner   VARCHAR(63) NOT NULL,
    epoch   BIGINT      NOT NULL,
    expires TIMESTAMP WITH TIME ZONE NOT NULL
);
