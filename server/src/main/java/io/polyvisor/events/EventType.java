package io.polyvisor.events;

/**
 * What kind of thing an event reports, such as {@code host.added}. Every event the journal records has one,
 * so the set of event types is the code's, not the call sites' spelling.
 *
 * <p>Each feature declares its types as one enum in its own package ({@code HaEvent}, {@code LifecycleEvent},
 * ...), a closed set like a sealed hierarchy: a {@code switch} over a feature's types is exhaustive. Types that
 * more than one feature records are in {@link SharedEvent}. The root itself is not {@code sealed}: the server
 * is not a named module, and there a sealed interface may only permit classes of its own package (JLS 8.1.6),
 * which would pull every feature's types into this one. {@code EventTypesTest} finds every implementation in
 * the server's classes instead and checks the names.
 *
 * <p>Contract: {@link #wireName()} is what the store, the API, the event stream and the CLI carry. It is unique
 * among all types, looks like {@code host.fence-failed} (lower case, one dot, words joined by '-'), is the
 * constant's name spelled that way ({@code HOST_FENCE_FAILED}), and never changes once released.
 */
public interface EventType {
    /** The type as it appears on the wire: {@code host.added}. */
    String wireName();
}
