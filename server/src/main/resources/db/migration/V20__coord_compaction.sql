-- Tombstone compaction (docs/COORDINATION.md): a group's deleted keys are removed once they are more than a number of
-- revisions old; compacted_revision is the newest revision whose tombstones may be gone. A watch from an older index
-- on an absent key is answered at once with that revision.
ALTER TABLE coord_groups ADD COLUMN compacted_revision BIGINT DEFAULT 0 NOT NULL;
