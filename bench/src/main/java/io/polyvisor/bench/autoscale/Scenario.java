package io.polyvisor.bench.autoscale;

import io.polyvisor.model.InvalidInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One demand scenario: the vCPUs a group's clients ask for, one row every {@link #ROW_S} seconds from t = 0 (CSV header
 * {@code t_s,demand_vcpus}, the format of {@code shared/data/autoscale/README.md}). Between rows the demand holds.
 */
public record Scenario(String name, double[] demand) {
    public static final int ROW_S = 10;
    public static final String HEADER = "t_s,demand_vcpus";

    public Scenario {
        InvalidInput.require(demand.length >= 2, "scenario " + name + " needs at least 2 rows, got " + demand.length);
        demand = demand.clone();
    }

    /** Seconds the scenario lasts. */
    public int lengthS() {
        return demand.length * ROW_S;
    }

    /** The demand at second {@code t} (the row at or before it). */
    public double at(int t) {
        return demand[Math.min(demand.length - 1, t / ROW_S)];
    }

    /** Reads a scenario file; rows must be every 10 s from 0 with a finite, non-negative demand. */
    public static Scenario read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file, e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        InvalidInput.require(!lines.isEmpty() && lines.getFirst().strip().equals(HEADER),
                "scenario " + file + " must start with the header " + HEADER);
        var values = new ArrayList<Double>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",");
            InvalidInput.require(f.length == 2, file + " line " + (i + 1) + ": expected t_s,demand_vcpus, got '" + line + "'");
            try {
                long t = Math.round(Double.parseDouble(f[0]));
                double d = Double.parseDouble(f[1]);
                InvalidInput.require(t == (long) values.size() * ROW_S, file + " line " + (i + 1) + ": t_s must be "
                        + (long) values.size() * ROW_S + " (one row every " + ROW_S + " s from 0), got " + f[0]);
                InvalidInput.require(Double.isFinite(d) && d >= 0, file + " line " + (i + 1) + ": demand_vcpus must be 0 or more, got " + f[1]);
                values.add(d);
            } catch (NumberFormatException e) {
                throw new InvalidInput(file + " line " + (i + 1) + ": not a number in '" + line + "'");
            }
        }
        return new Scenario(name, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The scenario files of {@code path}: the file itself, or the {@code *.csv} files of the folder, by name. */
    public static List<Scenario> load(Path path) {
        if (Files.isRegularFile(path)) return List.of(read(path));
        InvalidInput.require(Files.isDirectory(path), "--trace must be a scenario file or a folder of them, got '" + path + "'");
        try (var files = Files.list(path)) {
            List<Scenario> all = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().map(Scenario::read).toList();
            InvalidInput.require(!all.isEmpty(), "no .csv scenario in " + path);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    /** The scenario as CSV in the shared format. */
    public String csv() {
        var b = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < demand.length; i++) b.append(i * ROW_S).append(',').append(String.format(Locale.ROOT, "%.2f", demand[i])).append('\n');
        return b.toString();
    }
}
