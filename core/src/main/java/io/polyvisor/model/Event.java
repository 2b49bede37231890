package io.polyvisor.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that happened, recorded in order. {@code seq} is assigned by the store and grows
 * strictly, so clients resume a stream from the last one they saw.
 *
 * @param type     dotted, e.g. {@code vm.created}, {@code vm.state}, {@code host.failed}, {@code task.failed}
 * @param subject  the name of the VM or host it is about
 * @param data     machine-readable facts of the event (empty when it has none): a {@code vm.state} event
 *                 carries the VM's new {@code state}, and its {@code host} and {@code state_detail} where it has them, so a
 *                 client shows the change without reading the VM again
 */
public record Event(long seq, Instant at, String type, String subject, String message, Map<String, String> data) {
    public Event {
        data = data == null || data.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** An event without data. */
    public Event(long seq, Instant at, String type, String subject, String message) {
        this(seq, at, type, subject, message, Map.of());
    }
}
