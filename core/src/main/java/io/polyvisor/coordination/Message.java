package io.polyvisor.coordination;

import java.time.Instant;

/**
 * One message of a group's topic. {@code seq} starts at 1 and grows by one per message of the topic, so a subscriber
 * that passes back the last seq it saw misses nothing the topic still keeps.
 *
 * @param sender the sending VM's name, or null for an operator
 */
public record Message(String group, String topic, long seq, String sender, String body, Instant at) {}
