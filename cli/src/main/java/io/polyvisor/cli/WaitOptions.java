package io.polyvisor.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.regex.Pattern;

/** {@code --no-wait} and {@code --timeout} for commands that start a task. */
final class WaitOptions {
    @Option(names = "--no-wait", description = "Return at once with the task id instead of waiting for the task.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5m",
            description = "How long to wait for the task: 90s, 5m, 1h, 500ms (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern D = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

        @Override
        public Duration convert(String text) {
            var m = D.matcher(text.trim());
            if (!m.matches()) throw new TypeConversionException("must be a duration such as 30s, 5m or 1h, got '" + text + "'");
            long n = Long.parseLong(m.group(1));
            var unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
