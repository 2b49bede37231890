package io.polyvisor.coordination;

/**
 * One key of a group's key-value store, as stored. A delete leaves a tombstone ({@code value} null) carrying the
 * revision of the delete, so that a watch sees deletions.
 *
 * @param revision the group revision of the write that made this entry (strictly increasing per group)
 */
public record KvEntry(String group, String key, String value, long revision) {
    public boolean deleted() {
        return value == null;
    }
}
