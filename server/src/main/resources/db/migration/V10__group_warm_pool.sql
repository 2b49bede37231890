-- Warm pools (docs/GROUPS.md): members kept built and suspended, resumed first on scale-out. They count toward max.
ALTER TABLE vm_groups ADD COLUMN warm_members INTEGER DEFAULT 0 NOT NULL;
