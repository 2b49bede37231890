-- A project's disk quota (docs/SECURITY.md): the most its volumes' sizes may add up to; null is no limit.
ALTER TABLE projects ADD COLUMN quota_disk_bytes BIGINT;
