package io.polyvisor.sim;

import io.polyvisor.model.InvalidInput;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * How busy a simulated guest is: the fraction of its vCPUs and of its memory in use, as a function of the time
 * since it was started. Stats report {@code cpu × vcpus} cores and {@code memory × memoryBytes} bytes.
 */
public sealed interface LoadModel {

    /** The load {@code sinceStart} after the guest started. */
    Sample at(Duration sinceStart);

    /** Fractions in [0, 1]. */
    record Sample(double cpu, double memory) {
        public Sample {
            InvalidInput.require(cpu >= 0 && cpu <= 1, "cpu fraction must be between 0 and 1, got " + cpu);
            InvalidInput.require(memory >= 0 && memory <= 1, "memory fraction must be between 0 and 1, got " + memory);
        }
    }

    /** The same load for ever. */
    record Constant(double cpuFraction, double memFraction) implements LoadModel {
        public Constant {
            new Sample(cpuFraction, memFraction);
        }

        @Override
        public Sample at(Duration sinceStart) {
            return new Sample(cpuFraction, memFraction);
        }
    }

    /**
     * A recorded trace replayed from the guest's start: sample {@code i} holds at {@code i × periodSeconds}, values
     * in between are linearly interpolated, and after the last sample the trace wraps round to the first.
     */
    record Trace(List<Sample> samples, double periodSeconds) implements LoadModel {
        public Trace {
            InvalidInput.require(samples != null && !samples.isEmpty(), "a trace needs at least one sample");
            InvalidInput.require(periodSeconds > 0 && Double.isFinite(periodSeconds),
                    "trace period must be a positive number of seconds, got " + periodSeconds);
            samples = List.copyOf(samples);
        }

        @Override
        public Sample at(Duration sinceStart) {
            double t = Math.max(0, sinceStart.toNanos() / 1e9) / periodSeconds;
            int n = samples.size();
            long whole = (long) Math.floor(t);
            double frac = t - whole;
            var a = samples.get((int) (whole % n));
            var b = samples.get((int) ((whole + 1) % n));
            return new Sample(a.cpu + (b.cpu - a.cpu) * frac, a.memory + (b.memory - a.memory) * frac);
        }

        /**
         * Parses a trace written one sample a line as {@code cpu,memory} fractions; blank lines and lines starting
         * with {@code #} are skipped.
         */
        public static Trace parse(String text, double periodSeconds) {
            var out = new ArrayList<Sample>();
            int lineNo = 0;
            for (var line : text.split("\\R")) {
                lineNo++;
                var l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                var parts = l.split(",");
                try {
                    InvalidInput.require(parts.length == 2, "expected 2 fields");
                    out.add(new Sample(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())));
                } catch (NumberFormatException | InvalidInput e) {
                    throw new InvalidInput("trace line " + lineNo + " must be 'cpu,memory' fractions: " + e.getMessage());
                }
            }
            return new Trace(out, periodSeconds);
        }
    }

    /**
     * The load a VM gets when none was set: constant, cpu in [0.05, 0.65) and memory in [0.25, 0.85), drawn from
     * {@code seed} and the VM's UUID only, so it does not depend on the order VMs were created in.
     */
    static Constant drawn(long seed, UUID id) {
        var r = new SplittableRandom(seed ^ id.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ id.getLeastSignificantBits());
        return new Constant(0.05 + 0.6 * r.nextDouble(), 0.25 + 0.6 * r.nextDouble());
    }
}
