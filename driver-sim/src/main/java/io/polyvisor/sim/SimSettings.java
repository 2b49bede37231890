package io.polyvisor.sim;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a simulated data centre behaves, on its clock's time.
 *
 * @param latency           how long each operation takes before it takes effect (absent = zero)
 * @param guestShutdown     how long a guest takes to power off after an ACPI shutdown request
 * @param migrationBytesPerSecond  link bandwidth used by live migration
 * @param maxDowntime       pre-copy stops once the rest can be sent within this
 * @param maxPrecopyRounds  pre-copy gives up converging after this many rounds
 */
public record SimSettings(Map<Operation, Duration> latency, Duration guestShutdown, long migrationBytesPerSecond,
                          Duration maxDowntime, int maxPrecopyRounds) {
    public SimSettings {
        var copy = new EnumMap<Operation, Duration>(Operation.class);
        copy.putAll(latency);
        copy.forEach((op, d) -> InvalidInput.require(!d.isNegative(), op.label() + " latency must not be negative, got " + d));
        latency = Map.copyOf(copy);
        InvalidInput.require(!guestShutdown.isNegative(), "guest shutdown time must not be negative, got " + guestShutdown);
        InvalidInput.require(migrationBytesPerSecond > 0, "migration bandwidth must be positive, got " + migrationBytesPerSecond);
        InvalidInput.require(!maxDowntime.isNegative(), "max downtime must not be negative, got " + maxDowntime);
        InvalidInput.require(maxPrecopyRounds >= 1, "max pre-copy rounds must be at least 1, got " + maxPrecopyRounds);
    }

    /** Small real-time delays, like a fast local hypervisor: start 50 ms, guest shutdown 200 ms, 1 GiB/s links. */
    public static SimSettings realistic() {
        return new SimSettings(Map.of(
                Operation.DEFINE, Duration.ofMillis(5),
                Operation.START, Duration.ofMillis(50),
                Operation.SHUTDOWN, Duration.ofMillis(5),
                Operation.DESTROY, Duration.ofMillis(10),
                Operation.REBOOT, Duration.ofMillis(50),
                Operation.SUSPEND, Duration.ofMillis(10),
                Operation.RESUME, Duration.ofMillis(10),
                Operation.UNDEFINE, Duration.ofMillis(5),
                Operation.MIGRATE, Duration.ofMillis(20)),
                Duration.ofMillis(200), Sizes.GiB, Duration.ofMillis(300), 30);
    }

    /** No latency at all and guests that power off at once; migration still takes memory / bandwidth. */
    public static SimSettings instant() {
        return new SimSettings(Map.of(), Duration.ZERO, Sizes.GiB, Duration.ofMillis(300), 30);
    }

    public Duration latency(Operation op) {
        return latency.getOrDefault(op, Duration.ZERO);
    }

    public SimSettings withLatency(Operation op, Duration d) {
        var m = new EnumMap<Operation, Duration>(Operation.class);
        m.putAll(latency);
        m.put(op, d);
        return new SimSettings(m, guestShutdown, migrationBytesPerSecond, maxDowntime, maxPrecopyRounds);
    }

    public SimSettings withGuestShutdown(Duration d) {
        return new SimSettings(latency, d, migrationBytesPerSecond, maxDowntime, maxPrecopyRounds);
    }

    public SimSettings withMigrationBandwidth(long bytesPerSecond) {
        return new SimSettings(latency, guestShutdown, bytesPerSecond, maxDowntime, maxPrecopyRounds);
    }
}
