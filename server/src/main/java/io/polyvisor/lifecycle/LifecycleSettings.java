package io.polyvisor.lifecycle;

import io.polyvisor.model.InvalidInput;

import java.time.Duration;

/**
 * Timing of the lifecycle controller.
 *
 * @param taskPoll    how often it looks for work nobody signalled (tasks of other processes, retries)
 * @param retryBase   first back-off after a retryable driver failure; doubles with each attempt
 * @param maxAttempts attempts before a task fails for good
 * @param stopGrace   how long a graceful stop waits for the guest to power off before forcing it
 */
public record LifecycleSettings(Duration taskPoll, Duration retryBase, int maxAttempts, Duration stopGrace) {
    public static final LifecycleSettings DEFAULT = new LifecycleSettings(Duration.ofSeconds(1), Duration.ofMillis(500), 6,
            Duration.ofSeconds(30));

    public LifecycleSettings {
        InvalidInput.require(maxAttempts >= 1, "max attempts must be at least 1, got " + maxAttempts);
        InvalidInput.require(!taskPoll.isNegative() && !taskPoll.isZero(), "task poll interval must be positive");
    }
}
