package io.polyvisor.access;

import java.time.Instant;

/**
 * One state-changing API request, as journaled: who (a user, {@code admin} for the bootstrap token, {@code -} when no
 * credential was accepted), what ({@code method} and {@code path}, never the body nor a credential) and how it ended.
 *
 * @param seq  its place in the journal, from 1 (0 before it is stored)
 * @param role the actor's role label, null when unauthenticated
 */
public record AuditEntry(long seq, Instant at, String actor, String role, String method, String path, int status) {}
