package io.polyvisor.model;

import java.util.Map;

/**
 * A request the control plane turns down, with a message fit for the user. The API maps {@link Kind}
 * to an HTTP status; nothing was changed when one is thrown.
 */
public final class Refusal extends RuntimeException {
    /** NOT_FOUND 404, CONFLICT 409, UNPLACEABLE 422, OVER_QUOTA 422, GONE 410 (asked for something removed for good). */
    public enum Kind { NOT_FOUND, CONFLICT, UNPLACEABLE, OVER_QUOTA, GONE }

    private final Kind kind;
    private final Map<String, Integer> excludedBy;
    private final Map<String, Object> figures;

    public Refusal(Kind kind, String message, Map<String, Integer> excludedBy) {
        this(kind, message, excludedBy, null);
    }

    private Refusal(Kind kind, String message, Map<String, Integer> excludedBy, Map<String, Object> figures) {
        super(message, null, false, false);
        this.kind = kind;
        this.excludedBy = excludedBy == null ? Map.of() : Map.copyOf(excludedBy);
        this.figures = figures == null ? Map.of() : Map.copyOf(figures);
    }

    /** A create that would take a project over its quota; {@code figures} says which limit, used, asked and limit. */
    public static Refusal overQuota(String message, Map<String, Object> figures) {
        return new Refusal(Kind.OVER_QUOTA, message, null, figures);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, message, null);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, message, null);
    }

    public static Refusal gone(String message) {
        return new Refusal(Kind.GONE, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#OVER_QUOTA}: project, resource, used, asked, limit. */
    public Map<String, Object> figures() {
        return figures;
    }

    /** For {@link Kind#UNPLACEABLE}: hosts excluded per placement rule. */
    public Map<String, Integer> excludedBy() {
        return excludedBy;
    }
}
