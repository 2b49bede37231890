package io.polyvisor.autoscale;

import io.polyvisor.model.InvalidInput;

import java.util.Locale;

/**
 * What a group tracks: a value per member in rotation that the policy keeps near {@link #value()} by adding or
 * removing members. The load a snapshot carries is the metric summed over the members in rotation.
 */
public sealed interface Target {
    /** The value each member in rotation should carry. */
    double value();

    /** The form {@link #parse} reads: {@code cpu=60}, {@code rps=200}, {@code metric:queue_depth=5}. */
    String text();

    /** Average VM CPU, in percent of the member's vCPUs (driver stats). */
    record Cpu(double value) implements Target {
        public Cpu {
            InvalidInput.require(value > 0 && value <= 100, "cpu target must be a percentage between 0 and 100, got " + fmt(value));
        }

        @Override
        public String text() {
            return "cpu=" + fmt(value);
        }
    }

    /** HTTP requests per second per member, from the balancer's statistics. */
    record Rps(double value) implements Target {
        public Rps {
            InvalidInput.require(value > 0, "rps target must be above 0, got " + fmt(value));
        }

        @Override
        public String text() {
            return "rps=" + fmt(value);
        }
    }

    /** A metric the guests push, named {@code name}, per member. */
    record Metric(String name, double value) implements Target {
        public Metric {
            InvalidInput.require(name != null && name.matches("[a-z][a-z0-9_]{0,62}"),
                    "metric name must be lower-case letters, digits and _ (starting with a letter), got '" + name + "'");
            InvalidInput.require(value > 0, "metric " + name + " target must be above 0, got " + fmt(value));
        }

        @Override
        public String text() {
            return "metric:" + name + "=" + fmt(value);
        }
    }

    /** Reads {@code cpu=V}, {@code rps=V} or {@code metric:NAME=V}; anything else is an {@link InvalidInput}. */
    static Target parse(String text) {
        InvalidInput.require(text != null && !text.isBlank(), "target is empty; use cpu=PERCENT, rps=N or metric:NAME=V");
        int eq = text.indexOf('=');
        InvalidInput.require(eq > 0, "target must be KIND=VALUE (cpu=60, rps=200, metric:NAME=V), got '" + text + "'");
        String kind = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        double v = number(text.substring(eq + 1).strip(), text);
        if (kind.equals("cpu")) return new Cpu(v);
        if (kind.equals("rps")) return new Rps(v);
        if (kind.startsWith("metric:")) return new Metric(kind.substring("metric:".length()), v);
        throw new InvalidInput("unknown target metric '" + kind + "': use cpu=PERCENT, rps=N or metric:NAME=V");
    }

    private static double number(String s, String whole) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // worded below
        }
        throw new InvalidInput("target value must be a number, got '" + whole + "'");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
