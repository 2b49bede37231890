-- Warm pools (docs/GROUPS.md): members kept built and suspended, resumed first on scale-out. They count toward max.
ALTER TABLE vm_groups ADD COLUMN warm_members INTEGER DEFAULT 0 NOT NULL;
-- The HTTP path HAProxy's health check asks members for.
ALTER TABLE vm_groups ADD COLUMN health_path VARCHAR(256) DEFAULT '/' NOT NULL;
