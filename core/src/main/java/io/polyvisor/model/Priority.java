package io.polyvisor.model;

/** Restart priority, 1 (lowest) to 5 (highest); higher restarts first. */
public record Priority(int level) implements Comparable<Priority> {
    public static final Priority LOWEST = new Priority(1);
    public static final Priority MEDIUM = new Priority(3);
    public static final Priority HIGHEST = new Priority(5);

    public Priority {
        InvalidInput.require(level >= 1 && level <= 5, "priority must be between 1 and 5, got " + level);
    }

    @Override
    public int compareTo(Priority o) {
        return Integer.compare(level, o.level);
    }
}
