package io.polyvisor.model;

import java.time.Instant;

/**
 * Something that happened, recorded in order. {@code seq} is assigned by the store and grows
 * strictly, so clients resume a stream from the last one they saw.
 *
 * @param type     dotted, e.g. {@code vm.created}, {@code vm.state}, {@code host.failed}, {@code task.failed}
 * @param subject  the name of the VM or host it is about
 */
public record Event(long seq, Instant at, String type, String subject, String message) {}
